#!/usr/bin/env bash
# demo.sh: the end-to-end demo the README's first command runs, in a scratch folder.
set -euo pipefail
gate=${1:-gate}
echo "== gate --version"
"$gate" --version
echo
echo "== gate --help"
"$gate" --help
