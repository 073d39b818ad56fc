#!/bin/sh
# Installs the build into a scratch prefix and builds app.c against it twice:
# with pkg-config and with CMake's find_package(libgate). Both must print the version.
set -eu
build=$1 src=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install.log"
libdir=$(ls -d "$prefix"/lib*/pkgconfig | head -n 1 | xargs dirname)
test -f "$prefix/include/gate.h"
test -f "$libdir/libgate.a"
soname=$(readelf -d "$libdir/libgate.so" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
case "$soname" in libgate.so.[0-9]*) ;; *) echo "bad SONAME '$soname'"; exit 1 ;; esac

expected="libgate $(sed -n 's/^#define GATE_VERSION_STRING "\(.*\)"/\1/p' "$prefix/include/gate.h")"

PKG_CONFIG_PATH="$libdir/pkgconfig" ; export PKG_CONFIG_PATH
${CC:-cc} -o "$work/app_pc" "$src/app.c" $(pkg-config --cflags --libs libgate)
out=$(LD_LIBRARY_PATH="$libdir" "$work/app_pc")
[ "$out" = "$expected" ] || { echo "pkg-config build printed '$out', expected '$expected'"; exit 1; }

# The static library, with the private dependencies pkg-config lists for it.
static_libs=$(pkg-config --static --libs libgate | sed "s|-lgate\b|$libdir/libgate.a|")
${CC:-cc} -o "$work/app_static" "$src/app.c" $(pkg-config --cflags libgate) $static_libs
out=$("$work/app_static")
[ "$out" = "$expected" ] || { echo "static build printed '$out'"; exit 1; }

cmake -S "$src" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" >"$work/cmake.log"
cmake --build "$work/cmake-build" >>"$work/cmake.log"
out=$(LD_LIBRARY_PATH="$libdir" "$work/cmake-build/app_cmake")
[ "$out" = "$expected" ] || { echo "find_package build printed '$out'"; exit 1; }
echo "consumer: pkg-config, static and find_package builds all print '$expected'"
