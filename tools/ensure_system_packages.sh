#!/usr/bin/env bash
# Installs the few Debian packages the tests need when they are missing:
# Qt's runtime libraries for the offscreen platform and poppler-utils (pdftotext/pdftoppm)
# for the report tests. Does nothing when everything is there or when apt-get cannot run.
set -u
need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
for lib in libEGL.so.1 libxkbcommon.so.0 libfontconfig.so.1 libdbus-1.so.3 libGL.so.1; do
  if ! ldconfig -p 2>/dev/null | grep -q "$lib"; then
    case "$lib" in
      libEGL.so.1) need+=(libegl1) ;;
      libxkbcommon.so.0) need+=(libxkbcommon0) ;;
      libfontconfig.so.1) need+=(libfontconfig1) ;;
      libdbus-1.so.3) need+=(libdbus-1-3) ;;
      libGL.so.1) need+=(libgl1) ;;
    esac
  fi
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
