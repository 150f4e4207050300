#!/bin/sh
# Builds the embedded FerretDB launcher with our patches to FerretDB applied.
#
#   tools/ferretdb/build.sh OUTPUT [BUILD_DIR]
#
# The module is vendored (`go mod vendor`, from the Go module proxy or the module cache) into
# BUILD_DIR (default build/ferretdb, not committed), every tools/ferretdb/patches/*.patch is
# applied to the vendored FerretDB with `patch -p1` in name order, and the launcher is built
# with -mod=vendor. Only main.go, go.mod, go.sum, the patches and this script are committed.
# The second build attempt covers Go toolchains that reject FerretDB's go:linkname uses.
set -eu

out=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${2:-$root/build/ferretdb}
case $out in /*) ;; *) out=$root/$out ;; esac

rm -rf "$build"
mkdir -p "$build" "$(dirname "$out")"
cp "$here/main.go" "$here/go.mod" "$here/go.sum" "$build/"
cd "$build"
go mod vendor

ferret=vendor/github.com/FerretDB/FerretDB
for p in "$here"/patches/*.patch; do
	[ -e "$p" ] || continue
	echo "applying $(basename "$p")"
	patch -p1 --forward --batch --no-backup-if-mismatch -d "$ferret" < "$p"
done

go build -mod=vendor -trimpath -o "$out" . ||
	go build -mod=vendor -trimpath -ldflags=-checklinkname=0 -o "$out" .
