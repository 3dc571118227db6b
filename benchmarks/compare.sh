#!/usr/bin/env bash
# compare.sh: the reference etcd against bin/etcd (etcdj), same client (our bin/benchmark), same
# knobs, interleaved A B A B for ROUNDS rounds; prints the median of each and the ratio etcdj/etcd.
#
#   benchmarks/compare.sh [OUT_DIR]
#
# Each round starts each server fresh (new data dir on the same filesystem, free loopback ports),
# warms it with an unmeasured put load, then runs: put 1 client, put 64 clients, range
# linearizable 64 clients, range serializable 64 clients. RSS is read idle (after start) and after
# the put workloads. Every process this script starts is stopped by its PID; every wait is bounded.
#
# Environment (defaults in brackets): ROUNDS [3], ETCD_BIN [/usr/bin/etcd], ETCDCTL [/usr/bin/etcdctl],
# PUT1_TOTAL [2000], PUT64_TOTAL [10000], RANGE_TOTAL [10000], WARMUP_TOTAL [3000],
# VAL_SIZE [256], SNAPSHOT_COUNT [10000], DATA_PARENT [/tmp], SERVERS ["etcd etcdj"].
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
ROUNDS=${ROUNDS:-3}
ETCD_BIN=${ETCD_BIN:-/usr/bin/etcd}
ETCDCTL=${ETCDCTL:-/usr/bin/etcdctl}
PUT1_TOTAL=${PUT1_TOTAL:-2000}
PUT64_TOTAL=${PUT64_TOTAL:-10000}
RANGE_TOTAL=${RANGE_TOTAL:-10000}
WARMUP_TOTAL=${WARMUP_TOTAL:-3000}
VAL_SIZE=${VAL_SIZE:-256}
SNAPSHOT_COUNT=${SNAPSHOT_COUNT:-10000}
DATA_PARENT=${DATA_PARENT:-/tmp}
SERVERS=${SERVERS:-"etcd etcdj"}
START_TIMEOUT_S=60      # a cold JVM on a loaded 2-core box can take 10+ s
STOP_TIMEOUT_S=20
RUN_TIMEOUT_S=600       # one workload; the whole script stays well under ROUNDS x 2 x 4 of these
OUT=${1:-$(mktemp -d "${DATA_PARENT}/etcdj-compare.XXXXXX")}
mkdir -p "$OUT"
RESULTS="$OUT/results.tsv"
: >"$RESULTS"
SERVER_PID=""
SERVER_DIR=""

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# Busy jiffies of the whole machine, and of one pid (utime+stime), for the foreign-CPU estimate.
machine_busy() { awk '/^cpu / {print $2+$3+$4+$7+$8+$9}' /proc/stat; }
pid_busy() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill "$SERVER_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < STOP_TIMEOUT_S * 10; i++)); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$SERVER_DIR"
  SERVER_PID=""
}
trap stop_server EXIT INT TERM

# start_server NAME: sets SERVER_PID, ENDPOINT, SERVER_DIR. Same flags for both servers.
start_server() {
  local name="$1" cport pport
  cport=$(free_port); pport=$(free_port)
  while [ "$pport" = "$cport" ]; do pport=$(free_port); done
  SERVER_DIR=$(mktemp -d "${DATA_PARENT}/etcdj-compare-$name.XXXXXX")
  ENDPOINT="127.0.0.1:$cport"
  local flags=(--name default --data-dir "$SERVER_DIR/data" --snapshot-count "$SNAPSHOT_COUNT"
    --listen-client-urls "http://$ENDPOINT" --advertise-client-urls "http://$ENDPOINT"
    --listen-peer-urls "http://127.0.0.1:$pport" --initial-advertise-peer-urls "http://127.0.0.1:$pport"
    --initial-cluster "default=http://127.0.0.1:$pport")
  case "$name" in
    # etcd defaults --max-concurrent-streams to 2^32-1 and sends it in its SETTINGS; grpc-okhttp
    # reads that as a signed int (-1) and never opens a stream. 2^31-1 is the same "unlimited".
    etcd) "$ETCD_BIN" "${flags[@]}" --max-concurrent-streams 2147483647 >"$OUT/$name-server.log" 2>&1 & ;;
    etcdj) ETCDJ_NO_BUILD=1 "$ROOT/bin/etcd" "${flags[@]}" >"$OUT/$name-server.log" 2>&1 & ;;
    *) log "unknown server $name"; return 1 ;;
  esac
  SERVER_PID=$!
  local i
  for ((i = 0; i < START_TIMEOUT_S * 4; i++)); do
    if timeout 5 "$ETCDCTL" --endpoints "$ENDPOINT" --command-timeout=2s endpoint health >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { log "$name exited during start-up; see $OUT/$name-server.log"; return 1; }
    sleep 0.25
  done
  log "$name not healthy after ${START_TIMEOUT_S}s"; return 1
}

# bench SERVER ROUND WORKLOAD ARGS...: one bin/benchmark run; appends one TSV line.
bench() {
  local server="$1" round="$2" workload="$3"; shift 3
  local busy0 srv0 busy1 srv1 t0 t1 json cpu_file="$OUT/cpu.$$" load
  busy0=$(machine_busy); srv0=$(pid_busy "$SERVER_PID"); t0=$(date +%s.%N)
  load=$(cut -d' ' -f1 /proc/loadavg)
  json=$( { TIMEFORMAT='%U %S'; time timeout "$RUN_TIMEOUT_S" env ETCDJ_NO_BUILD=1 "$ROOT/bin/benchmark" \
      --endpoints "$ENDPOINT" --json "$@" 2>>"$OUT/bench-stderr.log"; } 2>"$cpu_file" )
  busy1=$(machine_busy); srv1=$(pid_busy "$SERVER_PID"); t1=$(date +%s.%N)
  # foreign % of both cores = (machine busy - server - benchmark client) / (cores x wall)
  local foreign
  foreign=$(python3 - "$busy0" "$busy1" "$srv0" "$srv1" "$t0" "$t1" "$(cat "$cpu_file")" <<'PY'
import os, sys
b0, b1, s0, s1, t0, t1 = map(float, sys.argv[1:7]); u, s = map(float, sys.argv[7].split())
hz = os.sysconf("SC_CLK_TCK"); wall = t1 - t0
print(f"{max(0.0, ((b1 - b0) - (s1 - s0)) / hz - (u + s)) * 100 / (os.cpu_count() * wall):.0f}")
PY
)
  rm -f "$cpu_file"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$server" "$round" "$workload" "$foreign" "$load" "$json" >>"$RESULTS"
  log "$server r$round $workload: $(jq -r '"\(.requests_per_sec|floor) req/s p50 \(.latency_secs.p50*1000) ms errors \(.errors|length)"' <<<"$json") foreign ${foreign}% load $load"
}

one_round() {
  local server="$1" round="$2" rss
  start_server "$server"
  sleep 2
  rss=$(rss_kib "$SERVER_PID")
  printf '%s\t%s\trss_idle\t\t\t{"rss_kib":%s}\n' "$server" "$round" "$rss" >>"$RESULTS"
  common=(--key-size 8 --val-size "$VAL_SIZE")
  # Unmeasured warm-up: the JVM server compiles its hot paths here, as it would in production.
  ETCDJ_NO_BUILD=1 "$ROOT/bin/benchmark" --endpoints "$ENDPOINT" --clients 8 --conns 1 put "${common[@]}" \
    --total "$WARMUP_TOTAL" --key-space-size 100000 >/dev/null 2>>"$OUT/bench-stderr.log"
  bench "$server" "$round" put-1 --clients 1 --conns 1 put "${common[@]}" --total "$PUT1_TOTAL" --key-space-size 100000
  bench "$server" "$round" put-64 --clients 64 --conns 8 put "${common[@]}" --total "$PUT64_TOTAL" --key-space-size 100000
  rss=$(rss_kib "$SERVER_PID")
  printf '%s\t%s\trss_after_put\t\t\t{"rss_kib":%s}\n' "$server" "$round" "$rss" >>"$RESULTS"
  timeout 10 "$ETCDCTL" --endpoints "$ENDPOINT" put foo bar >/dev/null
  bench "$server" "$round" range-l-64 --clients 64 --conns 8 range foo --consistency l --total "$RANGE_TOTAL"
  bench "$server" "$round" range-s-64 --clients 64 --conns 8 range foo --consistency s --total "$RANGE_TOTAL"
  stop_server
}

# summarise RESULTS: per workload the median of each server and the ratio etcdj/etcd.
summarise() {
  python3 - "$1" <<'PY'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    server, rnd, workload, foreign, load, js = line.rstrip("\n").split("\t", 5)
    rows.setdefault((workload, server), []).append((json.loads(js), foreign, load))
def med(xs): return statistics.median(xs) if xs else float("nan")
def ratio(a, b): return f"{a / b:.2f}" if b else "n/a"
print("| workload | etcd req/s | etcdj req/s | ratio req/s (etcdj/etcd, >1 better) | etcd p50 / p99 ms | etcdj p50 / p99 ms | errors etcd / etcdj | foreign CPU % (median) |")
print("|---|---|---|---|---|---|---|---|")
for w in ["put-1", "put-64", "range-l-64", "range-s-64"]:
    e, j = rows.get((w, "etcd"), []), rows.get((w, "etcdj"), [])
    if not e and not j: continue
    f = lambda rs, k: med([r[0][k] for r in rs])
    p = lambda rs, k: med([r[0]["latency_secs"][k] * 1000 for r in rs])
    err = lambda rs: sum(sum(r[0]["errors"].values()) for r in rs)
    fo = med([float(r[1]) for r in e + j if r[1]])
    print(f"| {w} | {f(e,'requests_per_sec'):.0f} | {f(j,'requests_per_sec'):.0f} | "
          f"**{ratio(f(j,'requests_per_sec'), f(e,'requests_per_sec'))}** | "
          f"{p(e,'p50'):.2f} / {p(e,'p99'):.1f} | {p(j,'p50'):.2f} / {p(j,'p99'):.1f} | {err(e)} / {err(j)} | {fo:.0f} |")
print()
print("| RSS (MiB, median) | etcd | etcdj | ratio etcdj/etcd (<1 better) |")
print("|---|---|---|---|")
for w in ["rss_idle", "rss_after_put"]:
    e = med([r[0]["rss_kib"] / 1024 for r in rows.get((w, "etcd"), [])])
    j = med([r[0]["rss_kib"] / 1024 for r in rows.get((w, "etcdj"), [])])
    print(f"| {w} | {e:.0f} | {j:.0f} | {ratio(j, e)} |")
print()
print("per round (req/s):")
for (w, server), rs in sorted(rows.items()):
    if "requests_per_sec" in rs[0][0]:
        print(f"  {w:11s} {server:6s} " + "  ".join(f"{r[0]['requests_per_sec']:.0f}(f{r[1]}%,l{r[2]})" for r in rs))
PY
}

main() {
  log "building (once, before any timing)"
  (cd "$ROOT" && ./mvnw -B -q -o -pl server,benchmarks -am package -DskipTests >&2)
  log "out=$OUT rounds=$ROUNDS servers=$SERVERS loadavg=$(cat /proc/loadavg)"
  local round server
  for ((round = 1; round <= ROUNDS; round++)); do
    for server in $SERVERS; do
      one_round "$server" "$round"
    done
  done
  log "done; loadavg=$(cat /proc/loadavg)"
  summarise "$RESULTS" | tee "$OUT/summary.md"
}

main
