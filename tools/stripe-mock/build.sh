#!/bin/sh
# Builds stripe-mock (Stripe's official API mock, a Go module; Debian has no package) into the
# path given (default bin/stripe-mock), the version pinned here. The tests start it and point
# the stripe library's API base at it. `make` reruns this when this file changes; a binary of
# another version is rebuilt.
set -eu
VERSION=v0.203.0
TARGET=${1:-bin/stripe-mock}
mkdir -p "$(dirname "$TARGET")"
if [ -x "$TARGET" ] && [ "$(cat "$TARGET.version" 2>/dev/null)" = "$VERSION" ]; then
    touch "$TARGET"
    exit 0
fi
GOBIN_DIR=$(mktemp -d)
trap 'rm -rf "$GOBIN_DIR"' EXIT
GOBIN="$GOBIN_DIR" GOFLAGS=-mod=mod go install "github.com/stripe/stripe-mock@$VERSION"
mv "$GOBIN_DIR/stripe-mock" "$TARGET"
echo "$VERSION" > "$TARGET.version"
echo "built $TARGET ($VERSION)"
