#!/usr/bin/env bash
# Breaking-change check of the HTTP contract (task contract:diff, run by check-generated).
#
# Compares openapi.yaml with the openapi.yaml of the last release tag (v*) reachable from
# HEAD, with oasdiff. A breaking change fails the check unless info.version's major number
# was bumped relative to that tag (README, "Versioning the contract"). oasdiff counts as
# breaking what it reports at ERR or WARN level.
#
# Runs in the repository root (or the directory given by CONTRACT_DIFF_DIR). OASDIFF is
# the command that runs oasdiff (default: `go tool oasdiff`, the version pinned in go.mod).
#
# usage: scripts/contract-diff.sh
set -euo pipefail

cd "${CONTRACT_DIFF_DIR:-$(dirname "${BASH_SOURCE[0]}")/..}"
read -r -a oasdiff <<<"${OASDIFF:-go tool oasdiff}"

if ! tag=$(git describe --tags --match 'v*' --abbrev=0 2>/dev/null); then
  echo "contract:diff: no release tag (v*) is reachable from HEAD, so there is nothing to compare" \
    "openapi.yaml with. Fetch the tags (git fetch --tags) or tag the last release." >&2
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! git show "$tag:openapi.yaml" >"$tmp/openapi.yaml" 2>/dev/null; then
  echo "contract:diff: release $tag has no openapi.yaml" >&2
  exit 1
fi

echo "contract:diff: openapi.yaml against release $tag"
"${oasdiff[@]}" breaking "$tmp/openapi.yaml" openapi.yaml --fail-on MISSING-VERSION-BUMP
