#!/bin/sh
# Installs the build into a scratch prefix and builds examples/cmake-consumer
# against it three ways: with pkg-config, statically, and with CMake's
# find_package(libgate). Each build opens a policy source made with the
# installed `gate` and must print the version and a real decision.
set -eu
build=$1 src=$2 work=$3
root=$(cd "$src/../.." && pwd)
example="$root/examples/cmake-consumer"
rm -rf "$work"
mkdir -p "$work"
prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install.log"
libdir=$(ls -d "$prefix"/lib*/pkgconfig | head -n 1 | xargs dirname)
test -f "$prefix/include/gate.h"
test -f "$libdir/libgate.a"
soname=$(readelf -d "$libdir/libgate.so" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
case "$soname" in libgate.so.[0-9]*) ;; *) echo "bad SONAME '$soname'"; exit 1 ;; esac

version="libgate $(sed -n 's/^#define GATE_VERSION_STRING "\(.*\)"/\1/p' "$prefix/include/gate.h")"

# A policy source with privacy and terms in force: a repository published
# with the installed gate; the client build cannot publish, so there a pack
# written by the test suite's own pack writer.
gate="$prefix/bin/gate"
export GIT_AUTHOR_NAME="Test Publisher" GIT_AUTHOR_EMAIL="publisher@example.org"
unset GATE_REPO GATE_DB GATE_PACK GATE_NOW
if "$gate" help init >/dev/null 2>&1; then
  policies="$work/policies"
  "$gate" init "$policies" >/dev/null
  mkdir -p "$work/draft"
  printf '# Privacy notice\n\nWe keep your diary for six years.\n' >"$work/draft/en-GB.md"
  "$gate" -C "$policies" publish privacy "$work/draft/en-GB.md" >/dev/null
  printf '# Terms of use\n\nYou must be 16 or older.\n' >"$work/draft/en-GB.md"
  "$gate" -C "$policies" publish terms "$work/draft/en-GB.md" >/dev/null
  where=-C
else
  policies="$work/policies.pack"
  python3 "$root/tests/examples/scratch.py" pack "$policies"
  where=--pack
fi
db="$work/acceptances.db"

# expect PROGRAM OUTCOME: the version line, then "alice: OUTCOME".
expect() {
  out=$("$1" "$policies" alice "$db") || { echo "$1 failed: $out"; exit 1; }
  first=$(printf '%s\n' "$out" | head -n 1)
  second=$(printf '%s\n' "$out" | sed -n 2p)
  [ "$first" = "$version" ] || { echo "$1 printed '$first', expected '$version'"; exit 1; }
  [ "$second" = "alice: $2" ] || { echo "$1 printed '$second', expected 'alice: $2'"; exit 1; }
}

PKG_CONFIG_PATH="$libdir/pkgconfig" ; export PKG_CONFIG_PATH
LD_LIBRARY_PATH="$libdir" ; export LD_LIBRARY_PATH
${CC:-cc} -o "$work/consumer_pc" "$example/consumer.c" $(pkg-config --cflags --libs libgate)
expect "$work/consumer_pc" block

# The static library, with the private dependencies pkg-config lists for it.
static_libs=$(pkg-config --static --libs libgate | sed "s|-lgate\b|$libdir/libgate.a|")
${CC:-cc} -o "$work/consumer_static" "$example/consumer.c" $(pkg-config --cflags libgate) $static_libs
if ldd "$work/consumer_static" | grep -q 'libgate\.so'; then
  echo "the static build links libgate.so"; exit 1
fi
expect "$work/consumer_static" block

cmake -S "$example" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" >"$work/cmake.log"
cmake --build "$work/cmake-build" >>"$work/cmake.log"
expect "$work/cmake-build/consumer" block

# The decision is read from the database: once alice accepts, all three say so.
"$gate" "$where" "$policies" --db "$db" accept alice privacy >/dev/null
"$gate" "$where" "$policies" --db "$db" accept alice terms >/dev/null
for p in "$work/consumer_pc" "$work/consumer_static" "$work/cmake-build/consumer"; do
  expect "$p" allow
done
echo "consumer: pkg-config, static and find_package builds print '$version' and alice's decisions"
