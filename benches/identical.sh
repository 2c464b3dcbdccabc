#!/usr/bin/env bash
# Outputs byte-identical before and after a change made for speed or
# structure: `bash benches/identical.sh [BASE]` (BASE: a git revision,
# default HEAD, so that uncommitted work is compared with the last commit).
#
# Builds BASE in a worktree under target/identical, then runs both binaries
# on the same workspaces — the sample `data/`, a generated one, and copies of
# it damaged as an unlucky office would (a line edited, a line deleted, a
# torn last row, the history record gone, rows typed in by hand, an unclosed
# quote) and the example district — and compares every command's standard
# output, standard error and exit status. Appends run on a fresh copy for
# each binary, and what they leave behind (ledger and record, not the
# state, case index and undo list, which name inodes or may be new) is compared
# too. Exit 0 when all are the same, 1 with the differences listed.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-HEAD}
root=$PWD/target/identical
rm -rf "$root/work"
mkdir -p "$root/work"
if [ ! -d "$root/base" ]; then
  git worktree add --detach "$root/base" "$base" >/dev/null 2>&1
else
  git -C "$root/base" checkout --quiet --detach "$(git rev-parse "$base")"
fi
(cd "$root/base" && CARGO_TARGET_DIR=$root/base-target cargo build --release --quiet --bin qunli)
cargo build --release --quiet --bin qunli --example gen
old=$root/base-target/release/qunli
new=$PWD/target/release/qunli

# The workspaces, made once and then only read (appends run on copies).
w=$root/work
cp -r data "$w/sample"
target/release/examples/gen --rows 20000 --out "$w/generated" >/dev/null 2>&1
# Recorded by the base, whose state both can read. `generate2` (a name as
# long, so tables are as wide) is the same workspace recorded by the working
# tree, whose state may know more (the undo rows): where the working tree
# reads it, the base reads `generated`.
"$old" --dir "$w/generated" check --accept-history --fail-on never >/dev/null 2>&1
cp -r "$w/generated" "$w/generate2"
"$new" --dir "$w/generate2" check --accept-history --fail-on never >/dev/null 2>&1 || true
damage() { # NAME SED-SCRIPT: a copy of the generated workspace with visits.csv changed
  cp -r "$w/generated" "$w/$1"
  sed -i "$2" "$w/$1/visits.csv"
}
damage edited '5000s/,1,/,2,/'
damage deleted '7000d'
# The first row from line 9000 on with a category of 其他 gets a quote never closed.
unclosed=$(awk 'NR >= 9000 && /,其他,/ {print NR; exit}' "$w/generated/visits.csv")
damage unclosed "${unclosed}s/,其他,/,\"其他,/"
cp -r "$w/generated" "$w/torn" && printf 'V2023-9999,2023-11-30,管小' >>"$w/torn/visits.csv"
cp -r "$w/generated" "$w/unrecorded" && rm -r "$w/unrecorded/.qunli"
cp -r "$w/generated" "$w/by-hand" && tail -n 3 "$w/generated/visits.csv" >>"$w/by-hand/visits.csv"
mkdir -p "$w/examples" && cp -r examples/district "$w/examples/district"
# A district of the generated town and its damaged copies: each town is read
# in one thread, whole, its chain walked in stretches from memory where the
# record allows. `generate2-district` lists `generate2`, read by the working
# tree; the base reads `generated-district`, which lists `generated`.
for first in generated generate2; do
  mkdir -p "$w/$first-district"
  printf 'district = "合成区"\ntowns = ["../%s", "../edited", "../deleted", "../unclosed", "../torn", "../unrecorded", "../by-hand"]\n' \
    "$first" >"$w/$first-district/qunli-district.toml"
done
cp -r data "$w/data" # the district example names ../../data

differ=0 compared=0
# same LABEL ARGS...: runs both binaries with ARGS and compares what they say.
same() {
  local label=$1; shift
  local a b
  compared=$((compared + 1))
  a=$(cd "$w" && "$old" "${@/#generate2/generated}" 2>&1; echo "exit $?")
  b=$(cd "$w" && "$new" "$@" 2>&1 | sed 's/generate2/generated/g'; echo "exit ${PIPESTATUS[0]}")
  if [ "$a" != "$b" ]; then
    differ=1
    echo "DIFFERENT: $label: qunli $*"
    diff <(echo "$a") <(echo "$b") | head -n 10 || true # one difference does not end the run
  fi
}

for ws in sample generated generate2 edited deleted unclosed torn unrecorded by-hand; do
  d=(--dir "$ws")
  if [ "$ws" = sample ]; then month=2022-03 asof=2022-04-01 year=2022; else month=2023-11 asof=2023-12-01 year=2023; fi
  for fmt in table json markdown csv html; do
    same "$ws monthly $fmt" "${d[@]}" report monthly --month $month --as-of $asof --format $fmt --color never
  done
  for lang in zh en; do
    same "$ws check $lang" "${d[@]}" --lang $lang check --as-of $asof --color never
  done
  same "$ws check json" "${d[@]}" check --as-of $asof --format json
  same "$ws annual" "${d[@]}" report annual --year $year --as-of $asof --format json
  same "$ws resolution" "${d[@]}" report resolution --as-of $asof --format json
  same "$ws villages" "${d[@]}" report villages --month $month --as-of $asof --format json
  same "$ws overdue" "${d[@]}" report overdue --as-of $asof --format csv
  same "$ws visit list" "${d[@]}" visit list --month $month --as-of $asof --format csv
  same "$ws visit list json" "${d[@]}" visit list --month $month --as-of $asof --format json
  same "$ws visit list table" "${d[@]}" visit list --as-of $asof --open --color never
  same "$ws visit list village" "${d[@]}" visit list --as-of $asof --village 天灵村 --format csv
  same "$ws visit list markdown" "${d[@]}" visit list --as-of $asof --format markdown
  # Every case as a table: over 4,096 of them are written in parts.
  same "$ws visit list all" "${d[@]}" visit list --as-of $asof --color never
  COLUMNS=80 same "$ws visit list all 80" "${d[@]}" visit list --as-of $asof --color never
  same "$ws visit list category" "${d[@]}" visit list --as-of $asof --month $month --category 其他 --format json
  same "$ws dispute list village" "${d[@]}" dispute list --as-of $asof --village 天灵村 --format csv
  same "$ws visit show" "${d[@]}" visit show V$year-0002 --as-of $asof --format json
  same "$ws visit events" "${d[@]}" visit list --events --month $month --as-of $asof --format json
  same "$ws letter list" "${d[@]}" letter list --as-of $asof --format csv
  same "$ws dispute list" "${d[@]}" dispute list --as-of $asof --format csv
done
same "schedule show" --dir sample schedule show --format json
same "schedule next" --dir sample schedule next --as-of 2022-03-07 --format json
same "explain" --dir sample explain --format json
same "district monthly" --lang zh district --dir examples/district report monthly --month 2022-03 --as-of 2022-04-01 --format json
same "district kpi" --lang zh district --dir examples/district report kpi --year 2022 --as-of 2022-12-31 --format json
same "district check" --lang zh district --dir examples/district check --as-of 2022-04-01
for fmt in table json; do
  same "damaged district monthly $fmt" --lang zh district --dir generate2-district report monthly --month 2023-11 \
    --as-of 2023-12-01 --format $fmt --color never
done
same "damaged district kpi" --lang zh district --dir generate2-district report kpi --year 2023 --as-of 2023-12-01 --format json
same "damaged district check" --lang zh district --dir generate2-district check --as-of 2023-12-01 --color never

# Appends: each binary on its own copy; then the copies must hold the same bytes.
for ws in generated by-hand; do
  for who in old new; do
    cp -r "$w/$ws" "$w/$ws-$who"
    q=${!who}
    {
      "$q" --dir "$w/$ws-$who" visit add --leader 管小波 --mode public --village 天灵村 --visitors 张三 \
        --headcount 1 --category 其他 --summary 核对 --date 2023-11-20
      "$q" --dir "$w/$ws-$who" visit add --case V2023-0001 --leader 管小波 --mode public --village 天灵村 \
        --visitors 张三 --headcount 1 --category 其他 --summary 再次 --date 2023-11-21
      echo "exit $?"
    } 2>&1 | sed "s/$ws-$who/$ws-COPY/g" >"$w/$ws-$who.out" || true
  done
  if ! cmp -s "$w/$ws-old.out" "$w/$ws-new.out" || ! diff -r -x '*.state' -x '*.cases*' -x '*.undos' -x '*.links' "$w/$ws-old" "$w/$ws-new" >/dev/null; then
    differ=1
    echo "DIFFERENT: appends on $ws"
    diff "$w/$ws-old.out" "$w/$ws-new.out" | head -n 5 || true
    diff -r -x '*.state' -x '*.cases*' -x '*.undos' -x '*.links' "$w/$ws-old" "$w/$ws-new" | head -n 5
  fi
done

# Recording history afresh: both binaries write the same record.
for who in old new; do
  cp -r "$w/by-hand" "$w/accept-$who" && rm -r "$w/accept-$who/.qunli"
  q=${!who}
  "$q" --dir "$w/accept-$who" check --accept-history --fail-on never >/dev/null 2>&1 || true
done
for f in visits letters disputes; do
  if ! cmp -s "$w/accept-old/.qunli/$f.csv.digests" "$w/accept-new/.qunli/$f.csv.digests"; then
    differ=1
    echo "DIFFERENT: check --accept-history records $f.csv otherwise"
  fi
done

if [ $differ = 0 ]; then
  echo "identical: $compared commands, 2 append sequences and an acceptance, $(git rev-parse --short "$base") and the working tree"
fi
exit $differ
