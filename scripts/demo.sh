#!/usr/bin/env bash
# demo.sh: the end-to-end demo (`./dev demo`): publish the example notices in policies/, record
# acceptances for a few hundred users, and show what the gate decides and why, in a scratch folder.
# Needs only the gate binary (its path is the first argument), bash and coreutils; git, when present,
# commits the example gate.conf.
set -euo pipefail
gate=$(readlink -f "${1:-$(command -v gate || true)}" || true)
if [ ! -x "$gate" ]; then
  echo "demo.sh: no gate binary; run ./dev demo, or pass the path of a built gate" >&2
  exit 1
fi
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/gate-demo-XXXXXX")
cd "$work"

# Everything below runs against this repository and database, at this moment.
now=2026-11-22T12:00:00Z
unset GATE_PACK
export GATE_REPO=$work/policies GATE_DB=$work/acceptances.db GATE_NOW=$now
export GIT_AUTHOR_NAME="Dana Lead" GIT_AUTHOR_EMAIL=privacy@pellowen.example.com
export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL

bold='' plain=''
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold=$'\033[1m' plain=$'\033[0m'; fi
heading() { printf '\n%s== %s%s\n' "$bold" "$1" "$plain"; shift; (($# == 0)) || printf '   %s\n' "$@"; }
# Prints a command as one would type it.
show() {
  local arg line='$ gate'
  for arg; do [[ $arg =~ [^A-Za-z0-9_./:@=,+-] ]] && arg="\"$arg\""; line+=" $arg"; done
  printf '%s\n' "$line"
}
run() { show "$@"; "$gate" "$@"; }
# Runs gate and prints only the first $1 and the last $2 lines of its output.
run_part() {
  local first=$1 last=$2 out lines skipped; shift 2
  show "$@"
  out=$("$gate" "$@")
  mapfile -t lines <<<"$out"
  skipped=$((${#lines[@]} - first - last))
  if ((skipped <= 0)); then printf '%s\n' "${lines[@]}"; return; fi
  printf '%s\n' "${lines[@]:0:first}"
  printf '   ... %d more lines (run the command to see them all)\n' "$skipped"
  ((last == 0)) || printf '%s\n' "${lines[@]:first + skipped}"
}
# `gate check` exits 0, 10 or 20: show the code, which is what an app acts on.
check() {
  local code=0
  run check "$1" || code=$?
  printf '   -> exit code %d: %s\n' "$code" "$2"
}

printf 'libgate demo: Pellowen, a made-up health app, and the acceptance of its privacy notice and terms.\n'
printf 'Scratch folder: %s\n' "$work"
printf "The clock is fixed at %s (GATE_NOW), so every run tells the same story.\n" "$now"

heading "1. The privacy lead publishes each version; every version is a git tag" \
  "The drafts in policies/ are published in order, each on the date in brackets."
"$gate" init "$GATE_REPO" >/dev/null
welsh=yes
if command -v git >/dev/null 2>&1; then
  # The example settings teach the engine the Welsh date line: commit them before publishing.
  cp "$src/policies/gate.conf" "$GATE_REPO/gate.conf"
  git -C "$GATE_REPO" commit -q -am "Pellowen settings: Welsh date line and keywords"
else
  welsh=
  printf '   (without git the example gate.conf, which knows the Welsh date line, cannot be committed:\n'
  printf '   publishing the English texts only)\n'
fi

# The drafts, with their files and dates, as the table in policies/README.md lists them;
# published oldest first, each at 09:00 UTC on its day.
declare -A summary=(
  [privacy/1]="First version" [privacy/2]="Typography and layout"
  [privacy/3]="Video consultations, a DPO, records kept eight years"
  [privacy/4]="Health research and analytics"
  [terms/1]="First version" [terms/2]="Typography and layout" [terms/3]="New prices, video consultations")
rows=() table=
while IFS= read -r line; do
  if [[ $line == "| Document | Version | Files |"* ]]; then table=yes; continue; fi
  [ -n "$table" ] || continue
  [[ $line == "|"* ]] || break                  # the table ends
  IFS='|' read -r _ doc n files _ published effective _ <<<"$line"
  n=${n// /}
  [[ $n =~ ^[0-9]+$ ]] || continue              # the |---| row
  rows+=("${published// /}|${effective// /}|${doc// /}|$n|$files")
done <"$src/policies/README.md"
mapfile -t rows < <(printf '%s\n' "${rows[@]}" | sort -s -t '|' -k 1,1)
((${#rows[@]} > 0)) || { echo "demo.sh: no drafts listed in $src/policies/README.md" >&2; exit 1; }

for row in "${rows[@]}"; do
  IFS='|' read -r published effective doc n files <<<"$row"
  IFS=',' read -r -a drafts <<<"$files"
  args=(publish "$doc")
  for draft in "${drafts[@]}"; do
    draft=${draft// /}
    locale=${draft%/*} locale=${locale##*/}
    [ "$locale" = en-GB ] || [ -n "$welsh" ] || continue
    mkdir -p "drafts/$doc-v$n"
    cp "$src/policies/$draft" "drafts/$doc-v$n/$locale.md"   # a file's name says its locale
    args+=("drafts/$doc-v$n/$locale.md")
  done
  [ "$effective" = "$published" ] || args+=(--effective "$effective")
  [ -z "${summary[$doc/$n]:-}" ] || args+=(-m "${summary[$doc/$n]}")
  printf '[%s] ' "$published"
  GATE_NOW=${published}T09:00:00Z run "${args[@]}"
done
echo
run versions privacy

heading "2. What changed? Editorial changes need no new consent; material ones do" \
  "v2 only fixed quotes, dashes, case, wrapping and the date line, so nobody accepts it again:"
show diff privacy 1 2
out=$("$gate" diff privacy 1 2)
printf '%s\n' "${out%%$'\n'*}"
printf '   v3 changed what the notice says, so everyone must accept it (its material changes):\n'
run_part 24 0 diff privacy 2 3 --material-only --context 0

for ((i = 1; i <= 300; i++)); do printf 'p-%04d\n' "$i"; done >users.txt
# Who accepted what, by i % 10: 0 privacy v4 (early) and terms v3; 1-3 v3 of both; 4-5 v2 of
# both; 6 v1 of both; 7-9 nothing. had[N] counts the users whose newest privacy version is vN.
newest=(4 3 3 3 2 2 1 0 0 0) month=(- 2026-02 2026-04 2026-08 2026-11) had=(0 0 0 0 0)
{
  echo "user,doc,version,accepted_at,method"
  for ((i = 1; i <= 300; i++)); do
    v=${newest[i % 10]}
    had[v]=$((had[v] + 1))
    ((v > 0)) || continue
    printf -v user 'p-%04d' "$i"
    printf -v day '%02d' $((v == 4 ? 17 + i % 5 : 3 + i % 25))  # after v4 came out on 16 November
    method=web
    ((i % 2)) && method=ios-app
    t=$((v < 4 ? v : 3))  # terms has no v4
    echo "$user,privacy,$v,${month[v]}-$day,$method"
    echo "$user,terms,$t,${month[t]}-$day,$method"
  done
} >acceptances.csv
heading "3. Three hundred users, and what each has accepted so far" \
  "An earlier system recorded acceptances: ${had[4]} users accepted privacy v4 early, ${had[3]} v3, ${had[2]} v2," \
  "${had[1]} v1, and ${had[0]} never accepted anything. Import them; register every user the app knows, so that" \
  "reports count those who never accepted too; then record three acceptances made today."
run import acceptances.csv
run users import users.txt
run accept p-0002 privacy 4 --method desktop-dialog --client "pellowen-desktop 2.3"
run accept p-0014 privacy --method ios-app --client "pellowen-ios 5.1"
run accept p-0014 terms --method ios-app --client "pellowen-ios 5.1"

heading "4. At every login the app asks: let in, let in and tell, or block?" \
  "The app acts on the exit code (or on gate_check() in C); an error must block too."
check p-0010 "allow: accepted everything in force, and privacy v4 early"
check p-0001 "notify: let in, and offer privacy v4, which takes effect on 1 February 2027"
check p-0004 "block: v3 changed the notices materially since p-0004 accepted v2"

heading "5. Who still has to accept, and pages for people" \
  "The pending report lists every user who must accept (block) or should see a notice (notify), then totals."
run_part 4 9 pending
printf '\n   Self-contained HTML pages (no scripts, nothing fetched), for the app, an email or the DPO:\n'
run diff privacy 2 3 --format html --title "What changed in our privacy notice" -o privacy-v2-to-v3.html
printf '   wrote %s\n' "$work/privacy-v2-to-v3.html"
run pending --format html --title "Pellowen: who still has to accept" -o pending.html
printf '   wrote %s\n' "$work/pending.html"

heading "6. The acceptance log is intact" \
  "Every event is chained to the one before by SHA-256; a checkpoint in git pins the chain's head."
run checkpoint
run verify

printf '\nEverything is in %s. To try more commands on it:\n' "$work"
printf '  export GATE_REPO=%s GATE_DB=%s GATE_NOW=%s\n' "$GATE_REPO" "$GATE_DB" "$now"
printf '  %s help\n' "$gate"
