#!/usr/bin/env bash
# Build the real OPA CLI from source into <repo>/.tools/bin/opa.
#
# OPA is built the official way for a custom build: a tiny main package of our
# own (tools/opa) that imports github.com/open-policy-agent/opa/cmd, pinned in
# tools/opa/go.mod with a complete tools/opa/go.sum. Only the Go module proxy
# is needed (no git, no GitHub). The default Go module and build caches are
# used so rebuilds are fast.
#
# Usage: scripts/install-opa.sh [--force]
#   --force (or OPA_FORCE_REBUILD=1) rebuilds even when the binary is current.
# Progress goes to stderr; the binary's absolute path is printed on stdout.
set -euo pipefail

OPA_VERSION="1.22.3"
# Fallback toolchain, fetched through the module proxy, when the local Go is
# older than the "go" line of tools/opa/go.mod (needs a local Go >= 1.21).
FALLBACK_TOOLCHAIN="go1.26.8"

log() { printf 'install-opa: %s\n' "$*" >&2; }
die() { printf 'install-opa: error: %s\n' "$*" >&2; exit 1; }

force=0
case "${1:-}" in
  "") ;;
  -f|--force) force=1 ;;
  -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 0 ;;
  *) die "unknown argument: $1 (usage: $0 [--force])" ;;
esac
[[ "${OPA_FORCE_REBUILD:-0}" == "1" ]] && force=1

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
root="$(cd -- "$script_dir/.." && pwd -P)"
src="$root/tools/opa"
bin_dir="$root/.tools/bin"
bin="$bin_dir/opa"
stamp="$bin_dir/opa.stamp"

for f in go.mod go.sum main.go; do
  [[ -f "$src/$f" ]] || die "missing $src/$f"
done
grep -Eq "^[[:space:]]*(require[[:space:]]+)?github\.com/open-policy-agent/opa[[:space:]]+v${OPA_VERSION//./\\.}([[:space:]]|$)" "$src/go.mod" \
  || die "tools/opa/go.mod does not require github.com/open-policy-agent/opa v$OPA_VERSION (the version pinned in $0)"

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum | cut -d' ' -f1
  else shasum -a 256 | cut -d' ' -f1
  fi
}
inputs_hash="$(cd "$src" && cat go.mod go.sum main.go | sha256)"
want_stamp="opa $OPA_VERSION inputs-sha256 $inputs_hash"

# Reuse the binary when the stamp matches and the binary reports the pinned version.
if [[ $force -eq 0 && -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$want_stamp" ]]; then
  if have="$("$bin" version 2>/dev/null | sed -n 's/^Version: //p')" && [[ "$have" == "$OPA_VERSION" ]]; then
    log "reusing $bin (OPA $have, inputs unchanged)"
    printf '%s\n' "$bin"
    exit 0
  fi
  log "existing binary does not report Version: $OPA_VERSION; rebuilding"
fi

command -v go >/dev/null 2>&1 \
  || die "Go is not installed or not on PATH; install Go >= 1.21 (OPA $OPA_VERSION builds with Go >= 1.26; older Go fetches $FALLBACK_TOOLCHAIN through the module proxy)"

export GOFLAGS="-buildvcs=false -mod=readonly"
export CGO_ENABLED=0

# OPA v1.22.3 declares "go 1.26.0". If the local Go is older and the user has
# not chosen a toolchain, let Go fetch the fallback toolchain from the proxy.
go_line="$(sed -n 's/^go[[:space:]]\{1,\}\([0-9.]\{1,\}\).*/\1/p' "$src/go.mod" | head -n1)"
local_go="$(go env GOVERSION 2>/dev/null || true)"
local_go="${local_go#go}"
ver_lt() { [[ "$1" != "$2" && "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" == "$1" ]]; }
if [[ -n "$go_line" && -n "$local_go" ]] && ver_lt "$local_go" "$go_line"; then
  if [[ -z "${GOTOOLCHAIN:-}" || "${GOTOOLCHAIN}" == "local" ]]; then
    export GOTOOLCHAIN="$FALLBACK_TOOLCHAIN"
    log "local Go $local_go is older than go $go_line required by tools/opa/go.mod; using GOTOOLCHAIN=$GOTOOLCHAIN"
  fi
fi

mkdir -p "$bin_dir"
tmp="$(mktemp "$bin_dir/.opa.build.XXXXXX")"
trap 'rm -f "$tmp"' EXIT

log "building OPA $OPA_VERSION from tools/opa with $(go version) (CGO_ENABLED=0, GOFLAGS=$GOFLAGS)"
start=$(date +%s)
(cd "$src" && go build -trimpath -o "$tmp" .) || die "go build failed (see above)"
end=$(date +%s)

have="$("$tmp" version 2>/dev/null | sed -n 's/^Version: //p')" || true
[[ "$have" == "$OPA_VERSION" ]] || die "built binary reports version '${have:-?}', expected $OPA_VERSION"

chmod 0755 "$tmp"
mv -f "$tmp" "$bin"
trap - EXIT
printf '%s\n' "$want_stamp" > "$stamp"
log "built $bin (OPA $have) in $((end - start))s"
printf '%s\n' "$bin"
