#!/usr/bin/env bash
# Builds bxtop/python:amd64, the base image of the download end-to-end test (test/e2e/downloads.test.ts): Debian
# bookworm minbase with python3-pip (pip 23.0.1), made with debootstrap from the machine's own Debian archive
# (.ci/debian-apt.sh uri) and `docker import`ed, so no registry is involved. Idempotent: does nothing when the
# image exists.
set -euo pipefail
log() { printf '[make-python-image] %s\n' "$*"; }

tag=bxtop/python:amd64
if docker image inspect "$tag" >/dev/null 2>&1; then
  log "$tag exists"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
if ! command -v debootstrap >/dev/null; then
  log "apt-get install debootstrap"
  apt-get update -qq
  apt-get install -y -qq debootstrap >/dev/null
fi

root=$(mktemp -d /tmp/bxtop-python-rootfs.XXXXXX)
cleanup() {
  # debootstrap may leave /proc or /sys mounted inside the target when it stops halfway.
  for m in proc sys dev/pts dev; do umount -l "$root/$m" 2>/dev/null || true; done
  rm -rf "$root"
}
trap cleanup EXIT

log "debootstrap bookworm minbase + python3-pip into $root"
start=$(date +%s)
debootstrap --variant=minbase --include=python3-pip --components=main \
  bookworm "$root" "$(bash "$(dirname "$0")/debian-apt.sh" uri)" >"$root.log" 2>&1 || {
  tail -30 "$root.log" >&2
  exit 1
}
rm -f "$root.log"
log "debootstrap took $(( $(date +%s) - start ))s"

# Smaller image: no package caches or lists (the test never runs apt inside it).
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc "$root"/usr/share/man
"$root/usr/bin/python3" -c 'print("python ok")' >/dev/null 2>&1 || true

tar --numeric-owner -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV PIP_DISABLE_PIP_VERSION_CHECK=1' \
  --change 'CMD ["/bin/bash"]' - "$tag" >/dev/null
docker run --rm --pull=never --network=none "$tag" python3 -m pip --version
log "imported $tag"
