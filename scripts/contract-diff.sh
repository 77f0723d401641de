#!/usr/bin/env bash
# Breaking-change check of the HTTP contract (task contract:diff, run by check-generated).
#
# Compares openapi.yaml with the contract of the last release, kept as
# docs/contract/releases/v<version>.yaml (the highest version there). The baseline lives in
# the tree rather than behind a git tag because a clone (CI's included) need not carry tags.
# A breaking change fails the check unless info.version's major number was bumped relative
# to that release (README, "Versioning the contract"). oasdiff counts as breaking what it
# reports at ERR or WARN level.
#
# Runs in the repository root (or the directory given by CONTRACT_DIFF_DIR). OASDIFF is
# the command that runs oasdiff (default: `go tool oasdiff`, the version pinned in go.mod).
#
# usage: scripts/contract-diff.sh
set -euo pipefail

cd "${CONTRACT_DIFF_DIR:-$(dirname "${BASH_SOURCE[0]}")/..}"
read -r -a oasdiff <<<"${OASDIFF:-go tool oasdiff}"

releases=docs/contract/releases
baseline=$(find "$releases" -maxdepth 1 -name 'v*.yaml' 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$baseline" ]]; then
  echo "contract:diff: no released contract in $releases (v<version>.yaml), so there is" \
    "nothing to compare openapi.yaml with." >&2
  exit 1
fi

echo "contract:diff: openapi.yaml against release $(basename "$baseline" .yaml)"
"${oasdiff[@]}" breaking "$baseline" openapi.yaml --fail-on MISSING-VERSION-BUMP
