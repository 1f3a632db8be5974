#!/usr/bin/env bash
# Installs and starts what bxtop's end-to-end tests need: Debian's docker.io (dockerd 20.10 with embedded
# BuildKit), the trixie docker-buildx plugin (0.13.1), qemu-user-static for linux/arm64 emulation, skopeo (OCI
# archives of local images, for the image-measure test), and two tiny base images imported from busybox-static
# (amd64 and arm64). Idempotent: safe to run again.
# Network rule: dockerd gets a loopback proxy so any accidental image pull fails on 127.0.0.1.
set -euo pipefail
log() { printf '[setup-docker] %s\n' "$*"; }

export DEBIAN_FRONTEND=noninteractive
need_pkgs=()
command -v dockerd >/dev/null || need_pkgs+=(docker.io)
[ -x /usr/bin/qemu-aarch64-static ] || need_pkgs+=(qemu-user-static binfmt-support)
[ -x /bin/busybox ] || need_pkgs+=(busybox-static)
command -v tmux >/dev/null || need_pkgs+=(tmux)
command -v python3 >/dev/null || need_pkgs+=(python3)
command -v skopeo >/dev/null || need_pkgs+=(skopeo) # writes real OCI archives for the image-measure test
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "apt-get install ${need_pkgs[*]}"
  apt-get update -qq
  apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

# buildx 0.13.1 from trixie, through a private apt configuration so the system's sources stay untouched.
here=$(cd "$(dirname "$0")" && pwd)
plugin_dir="$HOME/.docker/cli-plugins"
if ! [ -x "$plugin_dir/docker-buildx" ]; then
  log "fetching docker-buildx from Debian trixie"
  work=$(mktemp -d)
  bash "$here/debian-apt.sh" download "$work" trixie docker-buildx
  dpkg -x "$work"/docker-buildx_*.deb "$work/x"
  mkdir -p "$plugin_dir"
  cp "$work/x/usr/libexec/docker/cli-plugins/docker-buildx" "$plugin_dir/docker-buildx"
  rm -rf "$work"
fi

# arm64 emulation: register qemu's aarch64 handler when the kernel lets us.
if ! [ -e /proc/sys/fs/binfmt_misc/register ]; then
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null || log "binfmt_misc not mountable: no arm64 emulation"
fi
if [ -e /proc/sys/fs/binfmt_misc/register ] && ! [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
  update-binfmts --enable qemu-aarch64 2>/dev/null || update-binfmts --import qemu-aarch64 2>/dev/null || true
fi

# dockerd, in the background, with the loopback proxy and no bridge.
if ! docker version >/dev/null 2>&1; then
  log "starting dockerd"
  HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY=127.0.0.1,localhost \
    nohup dockerd --bridge=none --iptables=false --ip6tables=false >/tmp/dockerd.log 2>&1 &
  for _ in $(seq 1 60); do docker version >/dev/null 2>&1 && break; sleep 1; done
  docker version >/dev/null 2>&1 || { tail -20 /tmp/dockerd.log; echo "dockerd did not start" >&2; exit 1; }
fi

# Base images: busybox rootfs for amd64 (docker import) and, when emulation works, arm64 (docker load of a
# hand-assembled image tarball, because dockerd 20.10 ignores --platform on import).
python3 "$here/make-base-images.py"
docker buildx version
log "ready"
