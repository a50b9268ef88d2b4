#!/usr/bin/env bash
# `make deb`: a .deb for Debian, UOS and Kylin from the one-folder build (dist/doudi, `make dist`):
# the program under /opt/doudi, /usr/bin/doudi linking to it, a desktop entry named 兜底 with its
# icon. Depends is what the bundle's own ELF files need from the system, as dpkg-shlibdeps reads it
# (the Qt xcb libraries, fontconfig, GL, libc with its minimum version), so it cannot go stale.
#   DIST_DIR   where the built folder is and the .deb goes (default dist/)
#   BUILD_DIR  scratch space (default build/)
#   PYTHON     the project's Python, for the icon (default .venv/bin/python)
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
DIST_DIR="${DIST_DIR:-dist}"
BUILD_DIR="${BUILD_DIR:-build}"
BUNDLE="$DIST_DIR/doudi"

for tool in dpkg-deb dpkg-shlibdeps fakeroot; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install dpkg-dev fakeroot" >&2; exit 2; }
done
[ -x "$BUNDLE/doudi" ] || { echo "no $BUNDLE/doudi: run make dist first" >&2; exit 2; }

VERSION="$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
ARCH="$(dpkg --print-architecture)"
STAGE="$BUILD_DIR/deb/doudi_${VERSION}_${ARCH}"
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" "$STAGE/usr/share/doc/doudi"
cp -a "$BUNDLE" "$STAGE/opt/doudi"
ln -s /opt/doudi/doudi "$STAGE/usr/bin/doudi"
install -m 644 installer/linux/doudi.desktop "$STAGE/usr/share/applications/doudi.desktop"
"$PY" installer/make_icon.py "$BUILD_DIR/deb/icon" >/dev/null
for size in 48 128 256; do
    mkdir -p "$STAGE/usr/share/icons/hicolor/${size}x${size}/apps"
    "$PY" -c "import sys; from PIL import Image; Image.open(sys.argv[1]).resize(($size, $size), Image.Resampling.LANCZOS).save(sys.argv[2])" \
        "$BUILD_DIR/deb/icon/doudi.png" "$STAGE/usr/share/icons/hicolor/${size}x${size}/apps/doudi.png"
done
install -m 644 installer/linux/copyright "$STAGE/usr/share/doc/doudi/copyright"

# dpkg-shlibdeps wants a source package's debian/control beside it; the bundle's own libraries are
# found through -l, and an ELF it cannot resolve at all fails the build (the bundle is incomplete).
SHL="$BUILD_DIR/deb/shlibdeps"
rm -rf "$SHL" && mkdir -p "$SHL/debian"
printf 'Source: doudi\n\nPackage: doudi\nArchitecture: %s\n' "$ARCH" > "$SHL/debian/control"
OPT="$(cd "$STAGE/opt/doudi" && pwd)"
# Every ELF file of the bundle (the magic bytes: `file` is not on every build machine).
mapfile -t ELVES < <("$PY" -c '
import pathlib, sys
for p in sorted(pathlib.Path(sys.argv[1]).rglob("*")):
    if p.is_file() and not p.is_symlink() and p.open("rb").read(4) == b"\x7fELF":
        print(p)
' "$OPT")
LIBDIRS=()
while IFS= read -r dir; do LIBDIRS+=("-l$dir"); done < <(printf '%s\n' "${ELVES[@]}" | xargs -n1 dirname | sort -u)
# A library the bundle carries (libssl, libsqlite3, libffi … beside its Python) is not a dependency,
# even though the system has a package of that name: -x leaves that package out.
EXCLUDE=()
while IFS= read -r soname; do
    # awk reads to the end (no early exit): under pipefail an early exit makes ldconfig die of SIGPIPE.
    sys_path="$(ldconfig -p | awk -v s="$soname" '$1 == s && !found {print $NF; found = 1}')"
    [ -n "$sys_path" ] || continue
    pkg="$(dpkg -S "$sys_path" 2>/dev/null || dpkg -S "$(readlink -f "$sys_path")" 2>/dev/null || true)"
    [ -n "$pkg" ] && EXCLUDE+=("-x${pkg%%:*}")
done < <(find "$OPT" -name 'lib*.so*' -printf '%f\n' | sort -u)
if ! (cd "$SHL" && dpkg-shlibdeps -O --ignore-missing-info "${EXCLUDE[@]}" "${LIBDIRS[@]}" -e "${ELVES[@]}" \
        >shlibs.out 2>shlibs.err); then
    grep -v 'warning' "$SHL/shlibs.err" >&2 || true
    echo "dpkg-shlibdeps failed: a library above is missing from the bundle or the system" \
        "(bash tools/ensure_system_packages.sh --gui installs Qt's)" >&2
    exit 1
fi
DEPENDS="$(sed -n 's/^shlibs:Depends=//p' "$SHL/shlibs.out")"

SIZE="$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)"
sed -e "s|@VERSION@|$VERSION|" -e "s|@ARCH@|$ARCH|" -e "s|@SIZE@|$SIZE|" -e "s|@DEPENDS@|$DEPENDS|" \
    installer/linux/control.in > "$STAGE/DEBIAN/control"

OUT="$DIST_DIR/doudi_${VERSION}_${ARCH}.deb"
# gzip: every dpkg reads it (older UOS and Kylin ones read no zstd), and it is quick to make.
fakeroot dpkg-deb --build -Zgzip "$STAGE" "$OUT" >/dev/null
echo "built $OUT ($(du -h "$OUT" | cut -f1)); Depends: $DEPENDS"
