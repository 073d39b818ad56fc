#!/usr/bin/env bash
# demo.sh: the end-to-end demo the README's first command runs, in a scratch folder.
set -euo pipefail
gate=$(readlink -f "${1:-gate}")
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/gate-demo-XXXXXX")
export GATE_REPO="$work/policies"
export GIT_AUTHOR_NAME="${GIT_AUTHOR_NAME:-Dana Lead}" GIT_AUTHOR_EMAIL="${GIT_AUTHOR_EMAIL:-privacy@example.org}"
say() { printf '\n== %s\n' "$*"; }
run() { printf '$ gate %s\n' "$*"; "$gate" "$@"; }

say "A policy repository in $work/policies"
run init "$GATE_REPO"

say "Publish two versions of a notice"
printf '# Privacy notice\n\nLast updated: 1 March 2026\n\nWe keep your diary for six years.\n' >"$work/v1.md"
printf '# Privacy notice\n\nLast updated: 1 June 2026\n\nWe keep your diary for eight years.\n' >"$work/v2.md"
run publish privacy "$work/v1.md" -m "First version"
run publish privacy "$work/v2.md" --effective 2030-01-01 -m "Records kept for eight years"
run versions privacy
run show privacy@2
echo
echo "Everything is in: $work"
