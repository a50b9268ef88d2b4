#!/usr/bin/env bash
# `make dist-compat`: the one-folder program (and its .deb) for UOS 20 and Kylin V10, whose C library
# is glibc 2.28-2.31, built on this Debian 12 machine. A frozen program runs only on a glibc at least
# as new as the newest one any of its ELF files asks for, so every piece must ask for 2.28 at most:
#   - Python 3.11 itself: compiled from Debian's source package with `zig cc` (the ziglang wheel),
#     which links against glibc 2.28's symbol versions whatever the build machine has. Its C
#     libraries (OpenSSL, libffi, zlib, bzip2, xz, SQLite, from Debian's source packages too) are
#     built the same way and linked in statically, so no library of this machine enters the bundle.
#   - the wheels: downloaded for the manylinux tags up to 2_28 only, at installer/compat-constraints.txt.
# Then installer/doudi.spec through tools/build_dist.sh, as `make dist` does, a check that fails
# when any bundled ELF file needs a glibc newer than 2.28, and tools/build_deb.sh.
# Nothing is downloaded but packages, through apt-get and pip, from the registries this machine uses.
#   COMPAT_DIR   work folder: sources, toolchain, Python, wheels (default build/compat; about 2.5 GB)
#   DIST_DIR     where the folder and the .deb go (default dist/compat)
#   GLIBC_MAX    the newest glibc a bundled file may need (default 2.28)
# About 12 min on 2 cores the first time (OpenSSL and Python), 4-5 min after that.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
W="$(mkdir -p "${COMPAT_DIR:-build/compat}" && cd "${COMPAT_DIR:-build/compat}" && pwd)"
DIST_DIR="${DIST_DIR:-dist/compat}"
GLIBC_MAX="${GLIBC_MAX:-2.28}"
ZIG_VERSION=0.17.1
JOBS="$(nproc)"
PY_HOST="$(command -v python3)"

for tool in apt-get objdump make perl; do
    command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install binutils make perl)" >&2; exit 2; }
done

# 1. zig, from its wheel, and cc/ar/ranlib that target glibc $GLIBC_MAX on x86-64 (baseline CPU).
if [ ! -x "$W/bin/cc" ]; then
    "$PY_HOST" -m venv "$W/zigvenv"
    "$W/zigvenv/bin/pip" install -q "ziglang==$ZIG_VERSION"
    ZIG="$(ls "$W"/zigvenv/lib/python3*/site-packages/ziglang/zig)"
    mkdir -p "$W/bin"
    # -fno-sanitize: zig's clang otherwise traps on C code's undefined behaviour that gcc tolerates.
    printf '#!/bin/sh\nexec %s cc -target x86_64-linux-gnu.%s -fno-sanitize=undefined "$@"\n' "$ZIG" "$GLIBC_MAX" >"$W/bin/cc"
    printf '#!/bin/sh\nexec %s ar "$@"\n' "$ZIG" >"$W/bin/ar"
    printf '#!/bin/sh\nexec %s ranlib "$@"\n' "$ZIG" >"$W/bin/ranlib"
    chmod +x "$W/bin/cc" "$W/bin/ar" "$W/bin/ranlib"
fi

# 2. The source packages, from the deb-src twin of this machine's own apt sources (a private list:
#    the system's apt configuration is left alone).
SRC="$W/apt/src"
if [ ! -f "$SRC/.done" ]; then
    mkdir -p "$W/apt/lists/partial" "$W/apt/cache/archives/partial" "$W/apt/sources.list.d" "$SRC"
    rm -f "$W/apt/sources.list.d/"*
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] && grep -q 'debian' "$f" && sed 's/^Types: deb$/Types: deb-src/' "$f" >"$W/apt/sources.list.d/$(basename "$f")"
    done
    { grep -hs '^deb .*debian' /etc/apt/sources.list /etc/apt/sources.list.d/*.list || true; } \
        | sed 's/^deb /deb-src /' >"$W/apt/sources.list"
    APT=(-o "Dir::Etc::SourceList=$W/apt/sources.list" -o "Dir::Etc::SourceParts=$W/apt/sources.list.d"
         -o "Dir::State::Lists=$W/apt/lists" -o "Dir::Cache=$W/apt/cache")
    apt-get "${APT[@]}" update -qq
    # Only the upstream tarballs (*.orig.tar.*) are used; a mirror that serves a security update's
    # tarball but not its Debian files makes apt-get fail, which is fine as long as every tarball came.
    (cd "$SRC" && apt-get "${APT[@]}" source -qq --download-only python3.11 openssl libffi zlib xz-utils bzip2 sqlite3 \
        >"$W/apt/source.log" 2>&1) || true
    for pkg in python3.11 openssl libffi zlib xz-utils bzip2 sqlite3; do
        compgen -G "$SRC/${pkg}_*.orig.tar.*" >/dev/null || { cat "$W/apt/source.log" >&2; echo "no source of $pkg" >&2; exit 1; }
    done
    touch "$SRC/.done"
fi

# 3. The C libraries, static and position-independent, into $W/deps.
P="$W/deps"
B="$W/work"
export CC="$W/bin/cc" AR="$W/bin/ar" RANLIB="$W/bin/ranlib"
# Old C that clang 20 rejects by default (libffi's tramp.c) is only warned about.
export CFLAGS="-O2 -fPIC -Wno-implicit-function-declaration -w"
mkdir -p "$P/lib" "$P/include" "$B"
unpack() { rm -rf "$B/$1" && mkdir -p "$B/$1" && tar xf "$(ls "$SRC"/"$2"_*.orig.tar.* | grep -v '\.asc$' | grep -v www | sort -V | tail -1)" -C "$B/$1" --strip-components=1; }
quiet() { "$@" >"$B/last.log" 2>&1 || { tail -30 "$B/last.log" >&2; exit 1; }; }
if [ ! -f "$P/lib/libz.a" ]; then
    unpack zlib zlib && (cd "$B/zlib" && quiet ./configure --prefix="$P" --static && quiet make -j"$JOBS" && quiet make install)
fi
if [ ! -f "$P/lib/libbz2.a" ]; then
    unpack bzip2 bzip2 && (cd "$B/bzip2" && quiet make -j"$JOBS" CC="$CC" AR="$AR" RANLIB="$RANLIB" \
        CFLAGS="$CFLAGS -D_FILE_OFFSET_BITS=64" libbz2.a && cp libbz2.a "$P/lib/" && cp bzlib.h "$P/include/")
fi
if [ ! -f "$P/lib/liblzma.a" ]; then
    unpack xz xz-utils && (cd "$B/xz" && quiet ./configure --prefix="$P" --disable-shared --enable-static \
        --disable-xz --disable-xzdec --disable-lzmadec --disable-lzmainfo --disable-scripts --disable-doc --disable-nls \
        && quiet make -j"$JOBS" && quiet make install)
fi
if [ ! -f "$P/lib/libffi.a" ]; then
    unpack libffi libffi && (cd "$B/libffi" && quiet ./configure --prefix="$P" --libdir="$P/lib" --disable-shared \
        --enable-static --disable-docs --disable-exec-static-tramp && quiet make -j"$JOBS" && quiet make install)
fi
if [ ! -f "$P/lib/libsqlite3.a" ]; then
    unpack sqlite sqlite3 && (cd "$B/sqlite" && quiet ./configure --prefix="$P" --disable-shared --enable-static \
        --disable-tcl --disable-readline && quiet make -j"$JOBS" libsqlite3.la \
        && cp .libs/libsqlite3.a "$P/lib/" && cp sqlite3.h sqlite3ext.h "$P/include/")
fi
if [ ! -f "$P/lib/libssl.a" ]; then
    unpack openssl openssl && (cd "$B/openssl" && quiet ./Configure linux-x86_64 --prefix="$P" --libdir=lib \
        no-shared no-tests no-module -fPIC && quiet make -j"$JOBS" build_libs && quiet make install_dev)
fi

# 4. Python 3.11, shared (PyInstaller bundles libpython). zig's linker takes -soname, not -h, and
#    links nothing without a source file (libpython3.so gets an empty one).
PYHOME="$W/python"
if [ ! -x "$PYHOME/bin/python3.11" ]; then
    unpack python python3.11
    # setup.py adds this machine's /usr/include/<multiarch> and /usr/local when not cross-compiling:
    # headers of glibc 2.36 that clash with zig's 2.28 ones. Only the -I/-L given below are wanted.
    "$PY_HOST" - "$B/python/setup.py" <<'PATCH'
import pathlib, sys
p = pathlib.Path(sys.argv[1])
s = p.read_text()
start = s.index("        if not CROSS_COMPILING:\n            add_dir_to_list(self.compiler.library_dirs, '/usr/local/lib')")
end = s.index("        self.add_multiarch_paths()\n", start) + len("        self.add_multiarch_paths()\n")
p.write_text(s[:start] + s[end:])
PATCH
    (cd "$B/python" && quiet ./configure --prefix="$PYHOME" --enable-shared --with-openssl="$P" \
        --with-ensurepip=install \
        CPPFLAGS="-I$P/include" LDFLAGS="-L$P/lib -Wl,-rpath,$PYHOME/lib" \
        LIBFFI_CFLAGS="-I$P/include" LIBFFI_LIBS="-L$P/lib -lffi" \
        ZLIB_CFLAGS="-I$P/include" ZLIB_LIBS="-L$P/lib -lz" \
        BZIP2_CFLAGS="-I$P/include" BZIP2_LIBS="-L$P/lib -lbz2" \
        LIBLZMA_CFLAGS="-I$P/include" LIBLZMA_LIBS="-L$P/lib -llzma" \
        LIBSQLITE3_CFLAGS="-I$P/include" LIBSQLITE3_LIBS="-L$P/lib -lsqlite3 -lm -lpthread -ldl" \
        && sed -i -e 's/-Wl,-h\$/-Wl,-soname,$/' \
            -e 's|-Wl,-soname,\$@ \$^|-Wl,-soname,$@ -x c /dev/null -x none -L. -lpython$(LDVERSION)|' Makefile \
        && quiet make -j"$JOBS" && quiet make install)
    # The modules the program needs must have been built (a missing library only warns in make).
    "$PYHOME/bin/python3.11" -c 'import ssl, hashlib, ctypes, zlib, bz2, lzma, sqlite3, decimal, json, uuid'
fi

# 5. A venv with the wheels: downloaded for glibc <= $GLIBC_MAX only, installed from that folder.
VENV="$W/venv"
if [ ! -x "$VENV/bin/python" ]; then
    "$PYHOME/bin/python3.11" -m venv "$VENV"
fi
TAGS=()
for minor in $(seq 17 "${GLIBC_MAX#2.}"); do TAGS+=(--platform "manylinux_2_${minor}_x86_64"); done
TAGS+=(--platform manylinux2014_x86_64 --platform manylinux2010_x86_64 --platform manylinux1_x86_64)
"$PY_HOST" -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]
print("\n".join(p["dependencies"] + p["optional-dependencies"]["dist"]))' >"$W/requirements.txt"
"$VENV/bin/pip" download -q -d "$W/wheels" --only-binary=:all: --python-version 3.11 --implementation cp \
    --abi cp311 --abi abi3 --abi none "${TAGS[@]}" -r "$W/requirements.txt" -c installer/compat-constraints.txt
"$VENV/bin/pip" install -q --no-index --find-links "$W/wheels" -r "$W/requirements.txt" -c installer/compat-constraints.txt

# 6. The folder, with the same spec as `make dist`.
PYTHON="$VENV/bin/python" DIST_DIR="$DIST_DIR" BUILD_DIR="$W/build" bash tools/build_dist.sh

# 7. Every ELF file of the folder needs glibc $GLIBC_MAX at most, or the build fails. PyInstaller also
#    copies this machine's libraries that the system libraries the spec leaves out depend on
#    (libexpat for fontconfig, liblzma): nothing in the bundle loads them, but the bootloader puts
#    the folder first on the library path, so the target's fontconfig would get a libexpat that
#    needs glibc 2.36 and fail. Such a copy, needed by no bundled file, is removed; any other fails.
"$PY_HOST" - "$DIST_DIR/doudi" "$GLIBC_MAX" <<'EOF'
import pathlib, re, subprocess, sys
root, limit = pathlib.Path(sys.argv[1]), tuple(int(x) for x in sys.argv[2].split("."))
show = lambda v: ".".join(map(str, v))
needs, needed = {}, set()
for p in sorted(root.rglob("*")):
    if p.is_file() and not p.is_symlink() and p.open("rb").read(4) == b"\x7fELF":
        dyn = subprocess.run(["objdump", "-p", "-T", str(p)], capture_output=True, text=True, check=True).stdout
        needed.update(re.findall(r"^\s+NEEDED\s+(\S+)", dyn, re.M))
        needs[p] = max((tuple(map(int, v.split("."))) for v in re.findall(r"GLIBC_([0-9.]+)\)?\s", dyn)), default=(0,))
over = []
for p, version in sorted(needs.items()):
    if version > limit and p.parent == root / "_internal" and p.name not in needed:
        print(f"removed {p.relative_to(root)}: needs GLIBC_{show(version)}, and no bundled file needs it")
        p.unlink()
        del needs[p]
    elif version > limit:
        over.append(f"{p.relative_to(root)} needs GLIBC_{show(version)}")
print(f"{len(needs)} ELF files; the newest glibc any needs: {show(max(needs.values()))}")
if over:
    sys.exit(f"newer than GLIBC_{show(limit)}:\n  " + "\n  ".join(over))
EOF

# 8. The .deb from that folder (Depends then says libc6 (>= 2.28) or older).
PYTHON="$VENV/bin/python" DIST_DIR="$DIST_DIR" BUILD_DIR="$W/build" bash tools/build_deb.sh

# 9. dpkg-shlibdeps takes its version floors from this machine's packages (libc6 >= 2.34 because the
#    pthread symbols moved into libc there; libstdc++6 >= 10.2; ...), none of which the bundle's
#    symbols need (GLIBC <= $GLIBC_MAX checked above; GLIBCXX <= 3.4.21 with PySide6 6.9), and
#    which would stop apt on UOS 20 and Kylin V10. The package names stay, the floors go, libc6 gets
#    the checked one.
DEB="$(ls -t "$DIST_DIR"/doudi_*.deb | head -1)"
fakeroot sh -c '
    set -e
    rm -rf "$2/deb-compat" && dpkg-deb -R "$1" "$2/deb-compat"
    sed -i -e "/^Depends:/{s/ ([^)]*)//g; s/\blibc6\b/libc6 (>= $3)/}" "$2/deb-compat/DEBIAN/control"
    dpkg-deb --build -Zgzip "$2/deb-compat" "$1" >/dev/null
' sh "$DEB" "$W" "$GLIBC_MAX"
echo "rebuilt $DEB; $(dpkg-deb -f "$DEB" Depends | cut -c1-120)..."
