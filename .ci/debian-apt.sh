#!/usr/bin/env bash
# Fetches Debian packages of another suite (or architecture) without touching the system's apt sources: a
# private apt configuration in a temporary directory, pointing at the SAME archive as the machine's own sources
# (so a mirror or a snapshot configured on the machine is honoured and no host name is written here).
#
#   debian-apt.sh uri                           the archive URI of the machine's bookworm sources
#   debian-apt.sh download DIR SUITE PKG...     download the .debs of PKG (from SUITE) into DIR
#                                               (APT_ARCH=arm64 picks another architecture)
# APT_ETC (default /etc/apt) is where the machine's sources are read from (tests point it at sample files).
set -euo pipefail
etc=${APT_ETC:-/etc/apt}

# The URI of the deb source whose Suites list bookworm: deb822 (debian.sources) first, then one-line sources.list.
debian_archive_uri() {
	local uri=''
	local f
	for f in "$etc"/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		uri=$(awk '
			BEGIN { RS = ""; FS = "\n" }
			{
				types = ""; suites = ""; uris = ""
				for (i = 1; i <= NF; i++) {
					line = $i
					if (line ~ /^[ \t]*#/) continue
					if (match(line, /^[Tt]ypes:[ \t]*/)) types = substr(line, RLENGTH + 1)
					if (match(line, /^[Ss]uites:[ \t]*/)) suites = substr(line, RLENGTH + 1)
					if (match(line, /^URIs:[ \t]*/)) uris = substr(line, RLENGTH + 1)
				}
				if (types ~ /(^| )deb( |$)/ && suites ~ /(^| )bookworm( |$)/ && uris != "") { split(uris, u, " "); print u[1]; exit }
			}' "$f")
		[ -n "$uri" ] && break
	done
	if [ -z "$uri" ]; then
		for f in "$etc"/sources.list "$etc"/sources.list.d/*.list; do
			[ -r "$f" ] || continue
			# deb [options] URI bookworm component...
			uri=$(sed -E -n 's/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+)[[:space:]]+bookworm[[:space:]].*/\2/p' "$f" | head -n 1)
			[ -n "$uri" ] && break
		done
	fi
	if [ -z "$uri" ]; then
		echo "debian-apt.sh: no 'bookworm' deb source in $etc/sources.list{,.d}: cannot tell which Debian archive to use" >&2
		return 1
	fi
	printf '%s\n' "${uri%/}"
}

# download DIR SUITE PKG...: the .debs land in DIR; apt's lists and caches live in a temp dir removed afterwards.
debian_download() {
	local dest=$1 suite=$2
	shift 2
	local uri
	uri=$(debian_archive_uri)
	local aptdir
	aptdir=$(mktemp -d)
	mkdir -p "$aptdir/lists/partial" "$aptdir/archives/partial" "$aptdir/sources.list.d" "$dest"
	echo "deb $uri $suite main" >"$aptdir/sources.list"
	local opts=(-o "Dir::Etc::sourcelist=$aptdir/sources.list" -o "Dir::Etc::sourceparts=$aptdir/sources.list.d"
		-o "Dir::State::Lists=$aptdir/lists" -o "Dir::Cache::Archives=$aptdir/archives"
		-o "Dir::Cache::pkgcache=$aptdir/pkgcache.bin" -o "Dir::Cache::srcpkgcache=$aptdir/srcpkgcache.bin"
		-o "APT::Sandbox::User=root") # the temp dirs are private to root: no _apt sandbox warnings
	if [ -n "${APT_ARCH:-}" ]; then opts+=(-o "APT::Architecture=$APT_ARCH" -o "APT::Architectures=$APT_ARCH"); fi
	apt-get "${opts[@]}" update -qq
	(cd "$dest" && apt-get "${opts[@]}" download "$@" >/dev/null)
	rm -rf "$aptdir"
}

case "${1:-}" in
uri) debian_archive_uri ;;
download)
	shift
	[ $# -ge 3 ] || { echo "usage: debian-apt.sh download DIR SUITE PKG..." >&2; exit 64; }
	debian_download "$@"
	;;
*)
	echo "usage: debian-apt.sh uri | download DIR SUITE PKG..." >&2
	exit 64
	;;
esac
