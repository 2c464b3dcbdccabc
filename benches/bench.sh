#!/usr/bin/env bash
# Rerunnable benchmark of SPEC §9: `bash benches/bench.sh [RUNS]`.
# Generates 100k- and 1M-event workspaces (fixed seed) under target/bench,
# then times each command RUNS times (default 9) and prints the median wall
# time and the largest peak memory, as a Markdown table. The bare read and
# `report monthly` are run in turn, so that a machine that speeds up or slows
# down during the run (a shared virtual machine does) weighs on both alike;
# their ratio is the §9 figure.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
cargo build --release --quiet --bin qunli --example gen --example bare_read
q=target/release/qunli
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (/usr/bin/time)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# once LABEL COMMAND...: one timed run, appended to $out/LABEL as "seconds kilobytes".
once() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/last" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$out/last" >>"$out/$label"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
row() { # LABEL: the table row of what `once` gathered under LABEL
  local label=$1 t m
  t=$(cut -d' ' -f1 "$out/$label" | median)
  m=$(cut -d' ' -f2 "$out/$label" | sort -n | tail -n 1)
  printf '| %s | %s | %s s | %d MB |\n' "$size" "$label" "$t" $(( m / 1024 ))
}

echo "machine: $(nproc) cores, $(awk '/model name/ {sub(/.*: /, ""); print; exit}' /proc/cpuinfo)"
echo
echo "| events | command | median | peak memory |"
echo "|---|---|---|---|"
ratios=()
for size in $([ -n "${DISTRICT_ONLY:-}" ] || echo 100k 1m); do
  rows=$([ "$size" = 100k ] && echo 100000 || echo 1000000)
  dir=target/bench/$size
  rm -f "$out"/*
  target/release/examples/gen --rows "$rows" --out "$dir" 2>/dev/null
  $q --dir "$dir" check --accept-history --fail-on never >/dev/null 2>&1   # record the history once
  cat "$dir/visits.csv" >/dev/null                                     # warm the page cache
  for _ in $(seq "$runs"); do
    once "bare ByteRecord read" target/release/examples/bare_read "$dir/visits.csv"
    once "report monthly" $q --dir "$dir" report monthly --month 2023-11 --as-of 2023-12-01 --format json
  done
  for _ in $(seq "$runs"); do
    once "report annual" $q --dir "$dir" report annual --year 2022 --as-of 2023-12-01 --format json
    once "check" $q --dir "$dir" check --fail-on never
    once "report resolution" $q --dir "$dir" report resolution --from 2023-01-01 --to 2023-11-30 --as-of 2023-12-01 --format json
    once "report villages" $q --dir "$dir" report villages --month 2023-11 --as-of 2023-12-01 --format json
    once "report overdue" $q --dir "$dir" report overdue --as-of 2023-12-01 --format json
    once "visit list --month" $q --dir "$dir" visit list --month 2023-11 --as-of 2023-12-01 --format csv
  done
  for _ in $(seq "$runs"); do
    once "visit add" $q --dir "$dir" visit add --leader 管小波 --mode public --village 天灵村 \
      --visitors 张三 --headcount 1 --category 其他 --summary 基准测试 --date 2023-11-20
    last=$(tail -n 1 "$dir/visits.csv" | cut -d, -f1)
    once "visit add --case (repeat of an existing case)" $q --dir "$dir" visit add --case "$last" --leader 管小波 \
      --mode public --village 天灵村 --visitors 张三 --headcount 1 --category 其他 --summary 再次反映 --date 2023-11-21
  done
  for label in "bare ByteRecord read" "report monthly" "report annual" "check" "report resolution" \
    "report villages" "report overdue" "visit list --month" "visit add" \
    "visit add --case (repeat of an existing case)"; do
    row "$label"
  done
  bare=$(cut -d' ' -f1 "$out/bare ByteRecord read" | median)
  monthly=$(cut -d' ' -f1 "$out/report monthly" | median)
  ratios+=("$size: report monthly / bare read = $(awk -v a="$monthly" -v b="$bare" 'BEGIN {printf "%.2f", a / b}')")
done
echo
[ ${#ratios[@]} -eq 0 ] || printf '%s\n' "${ratios[@]}"

# The district roll-up (SPEC §9, §11): 40 generated towns of 50,000 visit
# events each (the generator spans two years; 40 × 50k = 2M events in all),
# `district report monthly` over all of them. `bash benches/bench.sh` runs it
# after the tables above; `DISTRICT_ONLY=1` runs it alone.
district() {
  local dir=target/bench/district
  mkdir -p "$dir/towns"
  local towns=()
  for i in $(seq -w 1 40); do
    [ -f "$dir/towns/t$i/visits.csv" ] || target/release/examples/gen --rows 50000 --township "合成$i镇" \
      --seed "$i" --out "$dir/towns/t$i" 2>/dev/null
    towns+=("\"towns/t$i\"")
  done
  printf 'district = "合成区"\ntowns = [%s]\n' "$(IFS=,; echo "${towns[*]}")" >"$dir/qunli-district.toml"
  cat "$dir"/towns/*/visits.csv >/dev/null
  rm -f "$out"/*
  size="40 × 50k"
  for _ in $(seq "$runs"); do
    once "district report monthly" $q --dir "$dir" district report monthly --month 2023-11 --as-of 2023-12-01 --format json
    once "district report kpi" $q --dir "$dir" district report kpi --year 2023 --as-of 2023-12-01 --format json
  done
  echo
  echo "| events | command | median | peak memory |"
  echo "|---|---|---|---|"
  row "district report monthly"
  row "district report kpi"
}
district
