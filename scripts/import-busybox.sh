#!/usr/bin/env bash
# Imports Debian's busybox-static as localhost/busybox:latest into podbay's image store,
# so every example runs offline (issue 4 item 6). The rootfs: /bin/busybox and a link
# per applet (busybox --list-full), /etc/passwd with root and nobody, /etc/group, /tmp
# and /root. Times and owners are fixed, so the same busybox always gives the same
# image id and a second `make up` changes nothing.
#
# Usage: scripts/import-busybox.sh [PODBAY] [--data-dir DIR]
#   PODBAY defaults to ./bin/podbay.
set -euo pipefail
podbay=./bin/podbay
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then
  podbay=$1
  shift
fi
busybox=/bin/busybox
if [ ! -x "$busybox" ]; then
  echo "error: $busybox not found: install busybox-static (make deps)" >&2
  exit 1
fi
rootfs=$(mktemp -d "${TMPDIR:-/tmp}/podbay-busybox-rootfs.XXXXXX")
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/root"
cp "$busybox" "$rootfs/bin/busybox"
chmod 0755 "$rootfs/bin/busybox"
"$busybox" --list-full | while read -r applet; do
  [ "$applet" = bin/busybox ] && continue
  mkdir -p "$rootfs/$(dirname "$applet")"
  ln -sf /bin/busybox "$rootfs/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\n' >"$rootfs/etc/group"
chmod 1777 "$rootfs/tmp"
chmod 0700 "$rootfs/root"
chmod 0755 "$rootfs"
if [ "$(id -u)" -eq 0 ]; then
  chown -hR 0:0 "$rootfs"
fi
find "$rootfs" -exec touch -h -d @0 {} +
"$podbay" image import "$rootfs" --name localhost/busybox:latest "$@" >/dev/null
echo "imported localhost/busybox:latest ($("$busybox" | head -1 | cut -d' ' -f1-2))"
