#!/usr/bin/env bash
# Rerunnable benchmark of SPEC §9: `bash benches/bench.sh [RUNS]`.
# Generates workspaces of 100k, 1M and 3M events (fixed seed; `SIZES="100k
# 1m"` picks fewer) under target/bench, then times each command RUNS times
# (default 9) and prints the median wall time, its ratio to a bare
# `csv::ByteRecord` read of the same visits.csv (the §9 figure) and the
# largest peak memory, as Markdown tables; then an append's time on a
# 10k- and a 3M-event ledger, and the district roll-up. The bare read, the
# history chain alone and `report monthly` run in turn, so that a machine
# that speeds up or slows down during the run (a shared virtual machine
# does) weighs on all three alike.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
sizes=${SIZES:-100k 1m 3m}
cargo build --release --quiet --bin qunli --example gen --example bare_read --example chain_floor \
  --example anchor_floor
q=target/release/qunli
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (/usr/bin/time)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# once LABEL COMMAND...: one timed run, appended to $out/LABEL as "seconds
# kilobytes" (wall time from the shell's clock, to the millisecond: an append
# takes a few; peak memory from GNU time).
once() {
  local label=$1 t0 t1; shift
  t0=$EPOCHREALTIME
  /usr/bin/time -f "%M" -o "$out/last" "$@" >/dev/null 2>&1 || true
  t1=$EPOCHREALTIME
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b - a}') $(tail -n 1 "$out/last")" >>"$out/$label"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
seconds() { cut -d' ' -f1 "$out/$1" | median; }
row() { # LABEL: the table row of what `once` gathered under LABEL
  local label=$1 t m ratio=""
  t=$(seconds "$label")
  m=$(cut -d' ' -f2 "$out/$label" | sort -n | tail -n 1)
  [ -z "${bare:-}" ] || ratio=$(awk -v a="$t" -v b="$bare" 'BEGIN {printf "%.2f×", a / b}')
  printf '| %s | %s | %.2f s | %s | %d MB |\n' "$size" "$label" "$t" "$ratio" $(( m / 1024 ))
}
# workspace SIZE: generates (once) and records a workspace of SIZE events; prints its folder.
workspace() {
  local size=$1 dir=target/bench/$1 rows
  case $size in
    10k) rows=10000 ;; 100k) rows=100000 ;; 1m) rows=1000000 ;; 3m) rows=3000000 ;;
    *) echo "unknown size $size" >&2; exit 2 ;;
  esac
  rm -rf "$dir"
  target/release/examples/gen --rows "$rows" --out "$dir" >/dev/null 2>&1
  $q --dir "$dir" check --accept-history --fail-on never >/dev/null 2>&1 # record the history once
  sync                                                                    # written back, not by the first append's fsync
  cat "$dir/visits.csv" >/dev/null                                        # warm the page cache
  echo "$dir"
}

echo "machine: $(nproc) cores, $(awk '/model name/ {sub(/.*: /, ""); print; exit}' /proc/cpuinfo)"
commands=("report monthly" "history chain alone" "report annual" "check" "report resolution" "report villages"
  "report overdue" "visit list --month" "visit list (every case, a table)")
if [ -z "${DISTRICT_ONLY:-}" ]; then
  echo
  echo "| events | command | median | × bare read | peak memory |"
  echo "|---|---|---|---|---|"
  for size in $sizes; do
    dir=$(workspace "$size")
    rm -f "$out"/*
    for _ in $(seq "$runs"); do
      once "bare ByteRecord read" target/release/examples/bare_read "$dir/visits.csv"
      once "history chain alone" target/release/examples/chain_floor "$dir/visits.csv"
      once "report monthly" $q --dir "$dir" report monthly --month 2023-11 --as-of 2023-12-01 --format json
    done
    for _ in $(seq "$runs"); do
      once "report annual" $q --dir "$dir" report annual --year 2022 --as-of 2023-12-01 --format json
      once "check" $q --dir "$dir" check --fail-on never
      once "report resolution" $q --dir "$dir" report resolution --from 2023-01-01 --to 2023-11-30 --as-of 2023-12-01 --format json
      once "report villages" $q --dir "$dir" report villages --month 2023-11 --as-of 2023-12-01 --format json
      once "report overdue" $q --dir "$dir" report overdue --as-of 2023-12-01 --format json
      once "visit list --month" $q --dir "$dir" visit list --month 2023-11 --as-of 2023-12-01 --format csv
      once "visit list (every case, a table)" $q --dir "$dir" visit list --as-of 2023-12-01 --color never
    done
    bare=""
    row "bare ByteRecord read"
    bare=$(seconds "bare ByteRecord read")
    for label in "${commands[@]}"; do row "$label"; done
  done

  # An append costs what its own case costs (§9): the same on 10k and 3M events.
  echo
  echo "| events | command | median | peak memory |"
  echo "|---|---|---|---|"
  for size in 10k 3m; do
    # Made afresh unless this run made it: an older one's case index may
    # predate its rows, and its older rows are then searched for.
    dir=target/bench/$size
    case " $sizes " in *" $size "*) ;; *) dir=$(workspace "$size") ;; esac
    rm -f "$out"/*
    bare=""
    for _ in $(seq "$runs"); do
      once "visit add" $q --dir "$dir" visit add --leader 管小波 --mode public --village 天灵村 \
        --visitors 张三 --headcount 1 --category 其他 --summary 基准测试 --date 2023-11-20
      last=$(tail -n 1 "$dir/visits.csv" | cut -d, -f1)
      once "visit add --case (a repeat)" $q --dir "$dir" visit add --case "$last" --leader 管小波 \
        --mode public --village 天灵村 --visitors 张三 --headcount 1 --category 其他 --summary 再次反映 --date 2023-11-21
    done
    for label in "visit add" "visit add --case (a repeat)"; do
      t=$(seconds "$label")
      m=$(cut -d' ' -f2 "$out/$label" | sort -n | tail -n 1)
      printf '| %s | %s | %.1f ms | %d MB |\n' "$size" "$label" "$(awk -v t="$t" 'BEGIN {print t * 1000}')" $(( m / 1024 ))
    done
  done

  # What the 台账校验码 costs at the least (§6.6, the floor under §9): the
  # 1M ledger in memory, one thread, the fastest of RUNS.
  if [ -d target/bench/1m ]; then
    echo
    for _ in $(seq "$runs"); do target/release/examples/anchor_floor target/bench/1m/visits.csv; done |
      awk '/ ms / {split($0, p, ":"); match($0, /[0-9.]+ ms/); t = substr($0, RSTART, RLENGTH - 3) + 0; if (!(p[1] in best) || t < best[p[1]]) {best[p[1]] = t; order[++n] = p[1]}}
        END {print "| 1M ledger, one thread, from memory | ms |"; print "|---|---|";
             for (i = 1; i <= n; i++) if (!seen[order[i]]++) printf "| %s | %.0f |\n", order[i], best[order[i]]}'
  fi
fi

# The district roll-up (SPEC §9, §11): 40 generated towns of 50,000 visit
# events each (the generator spans two years; 40 × 50k = 2M events in all),
# `district report monthly` over all of them. `bash benches/bench.sh` runs it
# after the tables above; `DISTRICT_ONLY=1` runs it alone.
district() {
  local dir=target/bench/district
  mkdir -p "$dir/towns"
  local towns=()
  for i in $(seq -w 1 40); do
    if [ ! -f "$dir/towns/t$i/.qunli/visits.csv.undos" ]; then
      rm -rf "$dir/towns/t$i"
      target/release/examples/gen --rows 50000 --township "合成$i镇" --seed "$i" --out "$dir/towns/t$i" 2>/dev/null
      # Recorded, as a town's ledgers are once qunli appends to them.
      $q --dir "$dir/towns/t$i" check --accept-history --fail-on never >/dev/null 2>&1
    fi
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
  echo "| towns | command | median | × bare read | peak memory |"
  echo "|---|---|---|---|---|"
  bare=""
  row "district report monthly"
  row "district report kpi"
}
district
