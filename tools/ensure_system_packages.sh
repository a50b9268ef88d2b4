#!/usr/bin/env bash
# Installs the few Debian packages the tests need when they are missing:
# Qt's runtime libraries for the offscreen platform and poppler-utils (pdftotext/pdftoppm)
# for the report tests. With --gui, also the X11 (xcb) libraries Qt's xcb platform plugin
# links to (the list in app/ui/main.py, XCB_LIBRARIES; package names as on Debian, UOS and Kylin), and
# CUPS for printing: `make test` asks for them too, because the .deb's Depends are computed from them.
# PostgreSQL's server binaries (initdb, pg_ctl) for the hub's PostgreSQL store tests, which start a
# throw-away server in a temporary folder (tests/hub/pg.py); the package's own cluster is not used.
# Does nothing when everything is there or when apt-get cannot run.
set -u
need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
# `make deb` (tests/frozen): dpkg-shlibdeps computes the package's Depends, fakeroot owns its files as root.
command -v dpkg-shlibdeps >/dev/null 2>&1 || need+=(dpkg-dev)
command -v fakeroot >/dev/null 2>&1 || need+=(fakeroot)
libs=(libEGL.so.1:libegl1 libxkbcommon.so.0:libxkbcommon0 libfontconfig.so.1:libfontconfig1
  libdbus-1.so.3:libdbus-1-3 libGL.so.1:libgl1)
if [ "${1:-}" = "--gui" ]; then
  libs+=(libxcb.so.1:libxcb1 libX11.so.6:libx11-6 libX11-xcb.so.1:libx11-xcb1
    libxkbcommon-x11.so.0:libxkbcommon-x11-0 libxcb-xkb.so.1:libxcb-xkb1 libxcb-util.so.1:libxcb-util1
    libxcb-render.so.0:libxcb-render0 libxcb-render-util.so.0:libxcb-render-util0 libxcb-shm.so.0:libxcb-shm0
    libxcb-image.so.0:libxcb-image0 libxcb-icccm.so.4:libxcb-icccm4 libxcb-keysyms.so.1:libxcb-keysyms1
    libxcb-randr.so.0:libxcb-randr0 libxcb-shape.so.0:libxcb-shape0 libxcb-sync.so.1:libxcb-sync1
    libxcb-xfixes.so.0:libxcb-xfixes0 libxcb-cursor.so.0:libxcb-cursor0 libcups.so.2:libcups2)
fi
# The sonames the loader knows, one a line, matched whole (libxcb.so.1 is not libxcb-xkb.so.1).
known=$(ldconfig -p 2>/dev/null | awk 'NR > 1 { print $1 }')
for entry in "${libs[@]}"; do
  grep -qxF "${entry%%:*}" <<<"$known" || need+=("${entry#*:}")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing: ${need[*]}"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >/dev/null 2>&1 \
    || echo "could not install ${need[*]}; some tests may fail" >&2
else
  echo "missing system packages: ${need[*]} (install them with your package manager)" >&2
fi
exit 0
