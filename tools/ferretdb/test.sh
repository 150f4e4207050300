#!/bin/sh
# Runs FerretDB's own Go tests for the packages our patches touch, with the patches applied,
# on a copy of the FerretDB module (tests and their dependencies are not vendored).
#
#   tools/ferretdb/test.sh [BUILD_DIR]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build/ferretdb-test}
version=$(sed -n 's/^require github.com\/FerretDB\/FerretDB \(v[^ ]*\)$/\1/p' "$here/go.mod")

cd "$here"
src=$(go mod download -json "github.com/FerretDB/FerretDB@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')

rm -rf "$build"
cp -r "$src" "$build"
chmod -R u+w "$build"
echo "$version" > "$build/build/version/version.txt"

for p in "$here"/patches/*.patch; do
	[ -e "$p" ] || continue
	patch -p1 --forward --batch --no-backup-if-mismatch -d "$build" < "$p"
done

cd "$build"
go test -count=1 ./internal/backends/sqlite/... ./internal/handler/... ./internal/util/fsql/...
