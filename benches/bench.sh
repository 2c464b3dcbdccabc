#!/usr/bin/env bash
# Rerunnable benchmark of SPEC §9: `bash benches/bench.sh [RUNS]`.
# Generates 100k- and 1M-event workspaces (fixed seed) under target/bench,
# then times each command RUNS times (default 5) and prints the median wall
# time and the largest peak memory, as a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
cargo build --release --quiet --bin qunli --example gen --example bare_read
q=target/release/qunli
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (/usr/bin/time)" >&2; exit 2; }

measure() { # label, command...
  local label=$1; shift
  local times=() mem=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o /tmp/qunli-bench.$$ "$@" >/dev/null 2>&1 || true
    read -r t m < <(tail -n 1 "/tmp/qunli-bench.$$")
    times+=("$t"); (( m > mem )) && mem=$m
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '| %s | %s | %s s | %d MB |\n' "$size" "$label" "$median" $(( mem / 1024 ))
}

echo "machine: $(nproc) cores, $(awk '/model name/ {sub(/.*: /, ""); print; exit}' /proc/cpuinfo)"
echo
echo "| events | command | median | peak memory |"
echo "|---|---|---|---|"
for size in 100k 1m; do
  rows=$([ "$size" = 100k ] && echo 100000 || echo 1000000)
  dir=target/bench/$size
  target/release/examples/gen --rows "$rows" --out "$dir" 2>/dev/null
  $q --dir "$dir" check --accept-history --fail-on never >/dev/null 2>&1   # record the history once
  cat "$dir/visits.csv" >/dev/null                                     # warm the page cache
  measure "bare ByteRecord read" target/release/examples/bare_read "$dir/visits.csv"
  measure "report monthly" $q --dir "$dir" report monthly --month 2023-11 --as-of 2023-12-01 --format json
  measure "report annual" $q --dir "$dir" report annual --year 2022 --as-of 2023-12-01 --format json
  measure "check" $q --dir "$dir" check --fail-on never
  measure "visit add" $q --dir "$dir" visit add --leader 管小波 --mode public --village 天灵村 \
    --visitors 张三 --headcount 1 --category 其他 --summary 基准测试 --date 2023-11-20
  last=$(tail -n 1 "$dir/visits.csv" | cut -d, -f1)
  measure "visit add --case (repeat of an existing case)" $q --dir "$dir" visit add --case "$last" --leader 管小波 \
    --mode public --village 天灵村 --visitors 张三 --headcount 1 --category 其他 --summary 再次反映 --date 2023-11-21
done
rm -f /tmp/qunli-bench.$$
