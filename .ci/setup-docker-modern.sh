#!/usr/bin/env bash
# The modern Docker stack, as a SECOND daemon beside the 20.10 one that .ci/setup-docker.sh starts: Debian
# unstable's docker.io (dockerd 28.5), containerd (2.1), tini-static (docker-init) and docker-buildx (0.29), plus
# bookworm's runc (unstable's needs a newer glibc than this bookworm machine has). Nothing is installed system-wide:
# the packages are fetched through a private apt configuration (.ci/debian-apt.sh) and `dpkg -x`ed into
# /opt/bxtop-docker28; their binaries are on PATH only for this dockerd (so it starts its own containerd, shim,
# runc and docker-init, never the system's). Tests select the stack with
#   DOCKER_HOST=unix:///run/docker28.sock DOCKER_CONFIG=/opt/bxtop-docker28/config
# Idempotent: safe to run again; a running daemon is left alone.
set -euo pipefail
log() { printf '[setup-docker-modern] %s\n' "$*"; }

here=$(cd "$(dirname "$0")" && pwd)
prefix=/opt/bxtop-docker28
bin="$prefix/bin"
plugin_dir="$prefix/config/cli-plugins"
host=unix:///run/docker28.sock
exec_root=/run/docker28-exec # dockerd's managed containerd lives under it (containerd/containerd.sock), not under /run/docker
data_root=/var/lib/docker28  # ... and keeps its content and snapshots under it (containerd/daemon)
daemon_json="$prefix/daemon.json"
export DOCKER_HOST=$host DOCKER_CONFIG="$prefix/config"

# 1. Binaries, unless a previous run left them.
if ! [ -x "$bin/dockerd" ] || ! [ -x "$bin/containerd" ] || ! [ -x "$plugin_dir/docker-buildx" ]; then
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	log "fetching docker.io, containerd, tini-static, docker-buildx (unstable) and runc (bookworm)"
	bash "$here/debian-apt.sh" download "$work/debs" unstable docker.io containerd tini-static docker-buildx
	bash "$here/debian-apt.sh" download "$work/debs" bookworm runc
	for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$work/root"; done
	mkdir -p "$bin" "$plugin_dir"
	r="$work/root"
	install -m 0755 "$r/usr/sbin/dockerd" "$r/usr/sbin/docker-proxy" "$r/usr/bin/containerd" \
		"$r/usr/bin/containerd-shim-runc-v2" "$r/usr/bin/ctr" "$r/usr/sbin/runc" "$r/usr/bin/tini-static" "$bin/"
	ln -sf tini-static "$bin/docker-init" # dockerd's --init looks for docker-init on its PATH
	install -m 0755 "$r/usr/libexec/docker/cli-plugins/docker-buildx" "$plugin_dir/docker-buildx"
fi
"$bin/dockerd" --version
"$bin/containerd" --version
"$bin/runc" --version | head -n 1

# 2. The daemon, in the background: own socket, roots, pidfile; no bridge; the loopback proxy so an accidental
# pull fails on 127.0.0.1; the containerd image store (multi-platform images, the history API's BuildKit).
mkdir -p "$prefix" "$data_root"
printf '%s\n' '{"features":{"containerd-snapshotter":true}}' >"$daemon_json"
if ! docker version >/dev/null 2>&1; then
	log "starting dockerd 28 on $host"
	# Supervised: dockerd 28.5's BuildKit can panic in ListenBuildHistory (a nil record while sorting history events,
	# seen here with many records and concurrent attach clients), taking the stack down for every test run sharing
	# it. The loop restarts it (at most 20 times, each noted in the log); setsid lets it outlive this script's
	# process group. To stop the stack: kill the loop (/run/docker28-supervisor.pid), then dockerd (/run/docker28.pid).
	setsid bash -c '
		echo $$ > /run/docker28-supervisor.pid
		for attempt in $(seq 1 20); do
			env PATH="$0:$PATH" HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY=127.0.0.1,localhost \
				"$0/dockerd" --host "$1" --data-root "$2" --exec-root "$3" --pidfile /run/docker28.pid \
				--bridge=none --iptables=false --ip6tables=false --config-file "$4"
			echo "[setup-docker-modern] dockerd 28 exited ($?), restart $attempt of 20 at $(date -u +%FT%TZ)"
			sleep 2
		done' "$bin" "$host" "$data_root" "$exec_root" "$daemon_json" >>/tmp/dockerd28.log 2>&1 </dev/null &
	for _ in $(seq 1 60); do docker version >/dev/null 2>&1 && break; sleep 1; done
	docker version >/dev/null 2>&1 || { tail -30 /tmp/dockerd28.log >&2; echo "dockerd 28 did not start" >&2; exit 1; }
fi
docker version --format 'server {{.Server.Version}}'
docker info --format '{{json .DriverStatus}}'

# 3. The base images the end-to-end tests build FROM, made the same way as for the 20.10 daemon.
python3 "$here/make-base-images.py"
# The python image (downloads e2e) is big to rebuild: copy the old daemon's when it has one.
if ! docker image inspect bxtop/python:amd64 >/dev/null 2>&1 &&
	DOCKER_HOST=unix:///var/run/docker.sock docker image inspect bxtop/python:amd64 >/dev/null 2>&1; then
	log "copying bxtop/python:amd64 from the 20.10 daemon"
	DOCKER_HOST=unix:///var/run/docker.sock docker save bxtop/python:amd64 | docker load >/dev/null
fi

# What the tests rely on: buildx 0.29 in this DOCKER_CONFIG and the history API on the default builder.
docker buildx version
docker buildx version | grep -q ' v\?0\.29\.' || { echo "expected buildx 0.29 in $plugin_dir" >&2; exit 1; }
# dockerd 28.5's BuildKit can panic in `history ls` (filterHistoryEvents, fixed upstream in moby/buildkit#6614); the
# restart loop above brings the daemon back within seconds, so ask again before calling it broken.
for attempt in 1 2 3 4 5; do
	docker buildx history ls >/dev/null && break
	[ "$attempt" = 5 ] && { tail -30 /tmp/dockerd28.log >&2; echo "docker buildx history ls keeps failing on dockerd 28" >&2; exit 1; }
	log "history ls failed (attempt $attempt): waiting for dockerd 28"
	sleep 3
	for _ in $(seq 1 30); do docker version >/dev/null 2>&1 && break; sleep 1; done
done
log "ready: DOCKER_HOST=$host DOCKER_CONFIG=$DOCKER_CONFIG"
