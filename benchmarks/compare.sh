#!/usr/bin/env bash
# compare.sh: the reference etcd against bin/etcd (etcdj), same client (our bin/benchmark), same
# knobs, interleaved A B A B for ROUNDS rounds; prints the median of each and the ratio etcdj/etcd.
#
#   benchmarks/compare.sh [OUT_DIR]
#
# Each round starts each server fresh (new data dir on the same filesystem, free loopback ports),
# warms it with an unmeasured put load, then runs (each of the first eight twice, see measure): put 1 client, put 64 clients, range
# linearizable and serializable 64 clients, txn-put 16 clients, watch fan-out (1,000 watchers),
# watch latency (put -> event), memory per watcher (10,000 watchers held open) and per watch stream
# (2,000 streams of one watcher), lease keep-alive,
# and put p99 while 10,000 leases expire at once (after a restart, which gives every lease its full
# TTL again). Then a second fresh server (rounds <= STORAGE_ROUNDS): RSS idle and after 100k keys, start-up with
# them (exec to first linearizable get), RSS growth for 100,000 leases. Prints one table: median
# per server, ratio etcdj/etcd, and whether higher or lower is better. Every process this script
# starts is stopped by its PID; every wait is bounded. `compare.sh --summarise results.tsv`
# reprints the table of an earlier run.
#
# Environment (defaults in brackets): ROUNDS [3], ETCD_BIN [/usr/bin/etcd], ETCDCTL [/usr/bin/etcdctl],
# PUT1_TOTAL [2000], PUT64_TOTAL [10000], RANGE_TOTAL [10000], WARMUP_TOTAL [3000],
# VAL_SIZE [256], SNAPSHOT_COUNT [10000], DATA_PARENT [/tmp], SERVERS ["etcd etcdj"], and the
# counts of the newer workloads listed below their defaults. ONLY=core,txn,watch,mem,keepalive,expiry
# picks workload groups of the main server; STORAGE_ROUNDS=0 skips the storage server.
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
TXN_TOTAL=${TXN_TOTAL:-5000}
WATCH_WATCHERS=${WATCH_WATCHERS:-1000}     # fan-out watchers (10 streams), all on one key
WATCH_PUTS=${WATCH_PUTS:-200}              # puts in the fan-out run: WATCH_WATCHERS x WATCH_PUTS events
WL_PUTS=${WL_PUTS:-1000}                   # watch-latency puts, at WL_RATE/s, 100 watchers
WL_RATE=${WL_RATE:-100}
MEM_WATCHERS=${MEM_WATCHERS:-10000}        # watchers held open for the memory-per-watcher figure
MEM_STREAMS=${MEM_STREAMS:-100}
MEM_STREAMS_ONLY=${MEM_STREAMS_ONLY:-2000}   # watch streams of one watcher each, for the memory-per-stream figure
MEM_HOLD_S=${MEM_HOLD_S:-12}              # long enough for the RSS and heap reads (a jcmd GC) while held
KEEPALIVE_TOTAL=${KEEPALIVE_TOTAL:-10000}
EXPIRY_LEASES=${EXPIRY_LEASES:-10000}      # leases (one key each) that expire at once
EXPIRY_TTL=${EXPIRY_TTL:-45}               # seconds; longer than granting the leases and than a restart + 8 s
EXPIRY_PUT_RATE=${EXPIRY_PUT_RATE:-200}    # paced puts/s before and across the expiry
KEYS_TOTAL=${KEYS_TOTAL:-100000}           # keys for RSS and start-up (16 B keys, 256 B values)
LEASES_MANY=${LEASES_MANY:-100000}         # leases for the RSS-per-lease figure
WARM_EACH=${WARM_EACH:-1}                  # 1: an unmeasured-then-measured pair per workload (see measure)
ONLY=${ONLY:-core,txn,watch,mem,keepalive,expiry}   # workload groups of the main server, comma-separated
STORAGE_ROUNDS=${STORAGE_ROUNDS:-$ROUNDS}  # rounds that also run the 100k keys / 100k leases server (0: none)
JCMD=${JCMD:-$(ls /usr/lib/jvm/temurin-25-jdk-amd64/bin/jcmd 2>/dev/null || echo jcmd)}  # must match bin/etcd's JDK
START_TIMEOUT_S=60      # a cold JVM on a loaded 2-core box can take 10+ s
STOP_TIMEOUT_S=20
RUN_TIMEOUT_S=600       # one workload
OUT=""       # set by main
RESULTS=""
SERVER_PID=""
SERVER_DIR=""
SERVER_NAME=""
SERVER_FLAGS=()
RESTART_MS=0

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# heap_kib: the server's heap in use. etcd: go_memstats_heap_inuse_bytes from /metrics (live objects
# plus garbage not yet swept); etcdj: G1 "used" right after a full GC requested with jcmd (live
# objects only). Not the same definition: read it as an order of magnitude, RSS is the like-for-like.
heap_kib() {
  local v=""
  case "$SERVER_NAME" in
    etcd) v=$(curl -s --max-time 10 "http://$ENDPOINT/metrics" | awk '/^go_memstats_heap_inuse_bytes / {printf "%d", $2 / 1024}') ;;
    etcdj) timeout 30 "$JCMD" "$SERVER_PID" GC.run >/dev/null 2>&1 || true
      v=$(timeout 30 "$JCMD" "$SERVER_PID" GC.heap_info 2>/dev/null | grep -o 'used [0-9]*K' | head -1 | tr -dc 0-9) ;;
  esac
  echo "${v:-0}"
}

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

# start_server NAME: a fresh server (new data dir, free ports); sets SERVER_PID, ENDPOINT, SERVER_DIR,
# SERVER_NAME, SERVER_FLAGS. Same flags for both servers.
start_server() {
  local name="$1" cport pport
  cport=$(free_port); pport=$(free_port)
  while [ "$pport" = "$cport" ]; do pport=$(free_port); done
  SERVER_DIR=$(mktemp -d "${DATA_PARENT}/etcdj-compare-$name.XXXXXX")
  SERVER_NAME="$name"
  ENDPOINT="127.0.0.1:$cport"
  SERVER_FLAGS=(--name default --data-dir "$SERVER_DIR/data" --snapshot-count "$SNAPSHOT_COUNT"
    --listen-client-urls "http://$ENDPOINT" --advertise-client-urls "http://$ENDPOINT"
    --listen-peer-urls "http://127.0.0.1:$pport" --initial-advertise-peer-urls "http://127.0.0.1:$pport"
    --initial-cluster "default=http://127.0.0.1:$pport")
  launch_server
  wait_healthy
}

# launch_server: execs SERVER_NAME with SERVER_FLAGS (the data dir may already hold data).
launch_server() {
  case "$SERVER_NAME" in
    # etcd defaults --max-concurrent-streams to 2^32-1 and sends it in its SETTINGS; grpc-okhttp
    # reads that as a signed int (-1) and never opens a stream. 2^31-1 is the same "unlimited".
    etcd) "$ETCD_BIN" "${SERVER_FLAGS[@]}" --max-concurrent-streams 2147483647 >>"$OUT/$SERVER_NAME-server.log" 2>&1 & ;;
    etcdj) ETCDJ_NO_BUILD=1 "$ROOT/bin/etcd" "${SERVER_FLAGS[@]}" >>"$OUT/$SERVER_NAME-server.log" 2>&1 & ;;
    *) log "unknown server $SERVER_NAME"; return 1 ;;
  esac
  SERVER_PID=$!
}

wait_healthy() {
  local i
  for ((i = 0; i < START_TIMEOUT_S * 4; i++)); do
    if timeout 5 "$ETCDCTL" --endpoints "$ENDPOINT" --command-timeout=2s endpoint health >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { log "$SERVER_NAME exited during start-up; see $OUT/$SERVER_NAME-server.log"; return 1; }
    sleep 0.25
  done
  log "$SERVER_NAME not healthy after ${START_TIMEOUT_S}s"; return 1
}

# restart_server: stops the server by its PID and execs it again on the same data dir and ports;
# sets RESTART_MS to the milliseconds from exec to the first successful linearizable get (polled
# every 50 ms). Not for $(...): the new server must be a child of this shell.
restart_server() {
  local keep="$SERVER_DIR" t0 t1 i
  SERVER_DIR=""   # stop_server must not delete the data
  stop_server
  SERVER_DIR="$keep"
  t0=$(date +%s%N)
  launch_server
  for ((i = 0; i < START_TIMEOUT_S * 20; i++)); do
    if timeout 5 "$ETCDCTL" --endpoints "$ENDPOINT" --dial-timeout=1s --command-timeout=2s get probe >/dev/null 2>&1; then
      t1=$(date +%s%N); RESTART_MS=$(((t1 - t0) / 1000000)); return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { log "$SERVER_NAME exited during restart"; return 1; }
    sleep 0.05
  done
  log "$SERVER_NAME did not answer after restart within ${START_TIMEOUT_S}s"; return 1
}

# record SERVER ROUND NAME JSON: one measured value that is not a bin/benchmark report.
record() {
  printf '%s\t%s\t%s\t\t%s\t%s\n' "$1" "$2" "$3" "$(cut -d' ' -f1 /proc/loadavg)" "$4" >>"$RESULTS"
  log "$1 r$2 $3: $4"
}

# measure SERVER ROUND WORKLOAD ARGS...: the workload's first pass, recorded as WORKLOAD-first,
# then the measured pass. Both servers get both passes. The first pass is where etcdj's JIT still
# compiles the path (etcd's Go code is compiled ahead); the second is the steady state a
# long-running member serves. The table shows both. WARM_EACH=0: one pass only, as before.
measure() {
  if [ "$WARM_EACH" = 1 ]; then
    local server="$1" round="$2" workload="$3"; shift 3
    bench "$server" "$round" "$workload-first" "$@"
    bench "$server" "$round" "$workload" "$@"
  else
    bench "$@"
  fi
}

# bench SERVER ROUND WORKLOAD ARGS...: one bin/benchmark run; appends one TSV line.
bench() {
  local server="$1" round="$2" workload="$3"; shift 3
  local busy0 srv0 busy1 srv1 t0 t1 json cpu_file="$OUT/cpu.$$" load
  busy0=$(machine_busy); srv0=$(pid_busy "$SERVER_PID"); t0=$(date +%s.%N)
  load=$(cut -d' ' -f1 /proc/loadavg)
  json=$( { TIMEFORMAT='%U %S'; time timeout "$RUN_TIMEOUT_S" env ETCDJ_NO_BUILD=1 "$ROOT/bin/benchmark" \
      --endpoints "$ENDPOINT" --json "$@" 2>>"$OUT/bench-stderr.log"; } 2>"$cpu_file" ) || true
  # A failed run still leaves one line, so the table shows it instead of the script stopping.
  [ -n "$json" ] || json='{"count":0,"errors":{"bin/benchmark failed (see bench-stderr.log)":1}}'
  grep -q '^[0-9.]* [0-9.]*$' "$cpu_file" 2>/dev/null || echo "0 0" >"$cpu_file"
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

# hold_watchers SERVER ROUND WORKLOAD STREAMS WATCHERS: RSS and heap before and while WATCHERS watchers
# on STREAMS streams (10 connections) are held open; records bytes per watcher and per stream.
hold_watchers() {
  local server="$1" round="$2" workload="$3" streams="$4" watchers="$5" rss0 rss1 heap0 heap1 pid i
  local f="$OUT/hold.$server.$round.$workload"
  rss0=$(rss_kib "$SERVER_PID"); heap0=$(heap_kib)
  timeout 300 env ETCDJ_NO_BUILD=1 "$ROOT/bin/benchmark" --endpoints "$ENDPOINT" --clients 10 --conns 10 --json \
    watch --streams "$streams" --watch-per-stream $((watchers / streams)) --put-total 0 \
    --hold-secs "$MEM_HOLD_S" >"$f.out" 2>"$f.err" &
  pid=$!
  for ((i = 0; i < 1200; i++)); do
    grep -q "watchers ready" "$f.err" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  sleep 2   # let the server finish the created responses and settle
  rss1=$(rss_kib "$SERVER_PID"); heap1=$(heap_kib)
  wait "$pid" || log "watch holder failed: $(tail -c 300 "$f.err")"
  local created
  created=$(jq -r '.count // 0' "$f.out" 2>/dev/null || true)
  record "$server" "$round" "$workload" "{\"rss_before_kib\":$rss0,\"rss_during_kib\":$rss1,\"streams\":$streams,\"watchers\":$watchers,\"bytes_per_watcher\":$(((rss1 - rss0) * 1024 / watchers)),\"heap_bytes_per_watcher\":$(((heap1 - heap0) * 1024 / watchers)),\"bytes_per_stream\":$(((rss1 - rss0) * 1024 / streams)),\"heap_bytes_per_stream\":$(((heap1 - heap0) * 1024 / streams)),\"created\":${created:-0}}"
}

# lease_expiry SERVER ROUND: EXPIRY_LEASES leases of EXPIRY_TTL s, one key each; a restart gives every
# lease its full TTL again when the member becomes leader (etcd's Promote), somewhere between the exec
# and the first answer, so they all expire together between exec + TTL and answer + TTL. A paced put
# load runs from the first answer until exec + TTL - 3 s (baseline; it also warms a cold JVM), then
# across the expiry until answer + TTL + the revocation time (capped at 1,000 leases/s in both) + 8 s.
# The keys present when the second run starts and those left after it show whether the expiry fell
# inside it (a restart slower than TTL - 8 s leaves no room: raise EXPIRY_TTL).
lease_expiry() {
  local server="$1" round="$2" at_start left base_s span_s t_exec now
  bench "$server" "$round" lease-grant-keys --clients 64 --conns 8 lease-grant --total "$EXPIRY_LEASES" \
    --ttl "$EXPIRY_TTL" --key-prefix exp/ --val-size 8
  t_exec=$(date +%s)
  restart_server
  record "$server" "$round" restart_before_expiry "{\"ms\":$RESTART_MS}"
  now=$(date +%s)
  base_s=$((t_exec + EXPIRY_TTL - 3 - now - 1))   # about 1 s of client JVM start
  if [ "$base_s" -lt 3 ]; then log "restart took ${RESTART_MS} ms: no room before the expiry (raise EXPIRY_TTL)"; base_s=3; fi
  span_s=$((RESTART_MS / 1000 + 3 + EXPIRY_LEASES / 1000 + 8))
  # The first third of that window is recorded apart (put-before-expiry-first): a restarted JVM
  # compiles its put path there, and the baseline should be the member's steady state.
  local warm_s=$((base_s / 3))
  [ "$WARM_EACH" = 1 ] && [ "$warm_s" -ge 1 ] || warm_s=0
  if [ "$warm_s" -gt 0 ]; then
    bench "$server" "$round" put-before-expiry-first --clients 16 --conns 4 put --key-size 8 --val-size "$VAL_SIZE" \
      --key-space-size 100000 --rate "$EXPIRY_PUT_RATE" --total $((EXPIRY_PUT_RATE * warm_s))
  fi
  bench "$server" "$round" put-before-expiry --clients 16 --conns 4 put --key-size 8 --val-size "$VAL_SIZE" \
    --key-space-size 100000 --rate "$EXPIRY_PUT_RATE" --total $((EXPIRY_PUT_RATE * (base_s - warm_s)))
  at_start=$(count_prefix exp/)
  bench "$server" "$round" put-across-expiry --clients 16 --conns 4 put --key-size 8 --val-size "$VAL_SIZE" \
    --key-space-size 100000 --rate "$EXPIRY_PUT_RATE" --total $((EXPIRY_PUT_RATE * span_s))
  left=$(count_prefix exp/)
  record "$server" "$round" expiry_keys "{\"at_window_start\":${at_start:--1},\"left\":${left:--1}}"
}

# count_prefix PREFIX: how many keys start with PREFIX (etcdctl 3.4 has no --count-only).
count_prefix() {
  timeout 20 "$ETCDCTL" --endpoints "$ENDPOINT" get "$1" --prefix --keys-only --limit 1 -w json 2>/dev/null \
    | jq -r '.count // 0' || true
}

want() { case ",$ONLY," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

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
  if want core; then
    measure "$server" "$round" put-1 --clients 1 --conns 1 put "${common[@]}" --total "$PUT1_TOTAL" --key-space-size 100000
    measure "$server" "$round" put-64 --clients 64 --conns 8 put "${common[@]}" --total "$PUT64_TOTAL" --key-space-size 100000
    rss=$(rss_kib "$SERVER_PID")
    printf '%s\t%s\trss_after_put\t\t\t{"rss_kib":%s}\n' "$server" "$round" "$rss" >>"$RESULTS"
    timeout 10 "$ETCDCTL" --endpoints "$ENDPOINT" put foo bar >/dev/null
    measure "$server" "$round" range-l-64 --clients 64 --conns 8 range foo --consistency l --total "$RANGE_TOTAL"
    measure "$server" "$round" range-s-64 --clients 64 --conns 8 range foo --consistency s --total "$RANGE_TOTAL"
  fi
  if want txn; then
    measure "$server" "$round" txn-put-16 --clients 16 --conns 4 txn-put "${common[@]}" --total "$TXN_TOTAL" --key-space-size 100000
  fi
  if want watch; then
    measure "$server" "$round" watch-1k --clients 4 --conns 4 watch --streams 10 --watch-per-stream $((WATCH_WATCHERS / 10)) \
      --put-total "$WATCH_PUTS"
    measure "$server" "$round" watch-latency --clients 4 --conns 4 watch-latency --streams 10 --watchers-per-stream 10 \
      --put-total "$WL_PUTS" --put-rate "$WL_RATE"
  fi
  if want mem; then
    hold_watchers "$server" "$round" mem_per_watcher "$MEM_STREAMS" "$MEM_WATCHERS"
    hold_watchers "$server" "$round" mem_per_stream "$MEM_STREAMS_ONLY" "$MEM_STREAMS_ONLY"
  fi
  if want keepalive; then
    measure "$server" "$round" lease-keepalive --clients 16 --conns 4 lease-keepalive --total "$KEEPALIVE_TOTAL"
  fi
  if want expiry; then lease_expiry "$server" "$round"; fi
  stop_server
}

# storage_round SERVER ROUND: a fresh server: RSS idle, 100k keys, start-up with them, 100k leases.
storage_round() {
  local server="$1" round="$2" rss0 rss1 heap0 heap1
  start_server "$server"
  sleep 2
  rss0=$(rss_kib "$SERVER_PID")
  bench "$server" "$round" load-100k-keys --clients 64 --conns 8 put --key-size 16 --val-size 256 \
    --key-space-size "$KEYS_TOTAL" --sequential-keys --total "$KEYS_TOTAL"
  sleep 2
  rss1=$(rss_kib "$SERVER_PID")
  record "$server" "$round" rss_keys "{\"rss_idle_kib\":$rss0,\"rss_keys_kib\":$rss1,\"keys\":$KEYS_TOTAL}"
  restart_server
  sleep 2
  record "$server" "$round" startup_keys "{\"ms\":$RESTART_MS,\"rss_after_restart_kib\":$(rss_kib "$SERVER_PID")}"
  rss0=$(rss_kib "$SERVER_PID"); heap0=$(heap_kib)
  bench "$server" "$round" grant-100k-leases --clients 64 --conns 8 lease-grant --total "$LEASES_MANY" --ttl 3600
  sleep 2
  rss1=$(rss_kib "$SERVER_PID"); heap1=$(heap_kib)
  record "$server" "$round" rss_leases "{\"rss_before_kib\":$rss0,\"rss_after_kib\":$rss1,\"heap_before_kib\":$heap0,\"heap_after_kib\":$heap1,\"leases\":$LEASES_MANY,\"bytes_per_lease\":$(((rss1 - rss0) * 1024 / LEASES_MANY)),\"heap_bytes_per_lease\":$(((heap1 - heap0) * 1024 / LEASES_MANY))}"
  stop_server
}

# summarise RESULTS: one table, per workload the median of each server and the ratio etcdj/etcd.
summarise() {
  export WATCH_WATCHERS MEM_WATCHERS MEM_STREAMS_ONLY EXPIRY_LEASES KEYS_TOTAL LEASES_MANY
  python3 - "$1" <<'PY'
import json, os, statistics, sys
E = lambda k, d: int(os.environ.get(k, d))
rows = {}
for line in open(sys.argv[1]):
    server, rnd, workload, foreign, load, js = line.rstrip("\n").split("\t", 5)
    rows.setdefault((workload, server), []).append((json.loads(js), foreign, load))
def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None
def rps(j): return j.get("requests_per_sec")
def pct(k): return lambda j: j["latency_secs"][k] * 1000 if j.get("count") else None
def field(k, scale=1.0): return lambda j: j[k] * scale if k in j else None
KIB = 1 / 1024
# (label, workload, metric, unit, higher_is_better, getter)
table = [
    ("put, 1 client", "put-1", "req/s", True, rps),
    ("put, 64 clients", "put-64", "req/s", True, rps),
    ("range linearizable, 64 clients", "range-l-64", "req/s", True, rps),
    ("range serializable, 64 clients", "range-s-64", "req/s", True, rps),
    ("txn-put, 16 clients", "txn-put-16", "txn/s", True, rps),
    (f"watch fan-out, {E('WATCH_WATCHERS', 1000):,} watchers", "watch-1k", "events/s", True, rps),
    ("watch latency, put sent → event, p50", "watch-latency", "ms", False, pct("p50")),
    ("watch latency, put sent → event, p99", "watch-latency", "ms", False, pct("p99")),
    (f"memory per watcher (RSS delta / {E('MEM_WATCHERS', 10000):,} watchers)", "mem_per_watcher", "bytes", False, field("bytes_per_watcher")),
    (f"heap per watcher (definitions differ, see script)", "mem_per_watcher", "bytes", False, field("heap_bytes_per_watcher")),
    (f"memory per watch stream (RSS delta / {E('MEM_STREAMS_ONLY', 2000):,} streams of 1 watcher)", "mem_per_stream", "bytes", False, field("bytes_per_stream")),
    (f"heap per watch stream (definitions differ, see script)", "mem_per_stream", "bytes", False, field("heap_bytes_per_stream")),
    ("lease keep-alive, 16 clients", "lease-keepalive", "req/s", True, rps),
    ("lease grant + key put, 64 clients", "lease-grant-keys", "req/s", True, rps),
    ("put p99, paced, before lease expiry", "put-before-expiry", "ms", False, pct("p99")),
    (f"put p99, paced, across the expiry of {E('EXPIRY_LEASES', 10000):,} leases", "put-across-expiry", "ms", False, pct("p99")),
    ("lease keys present when that window starts", "expiry_keys", "keys", True, field("at_window_start")),
    ("lease keys left after that window", "expiry_keys", "keys", False, field("left")),
    ("RSS idle, fresh", "rss_idle", "MiB", False, field("rss_kib", KIB)),
    ("RSS after the put workloads", "rss_after_put", "MiB", False, field("rss_kib", KIB)),
    (f"load {E('KEYS_TOTAL', 100000):,} keys, 64 clients", "load-100k-keys", "req/s", True, rps),
    (f"RSS after {E('KEYS_TOTAL', 100000):,} keys (16 B + 256 B)", "rss_keys", "MiB", False, field("rss_keys_kib", KIB)),
    (f"start-up with {E('KEYS_TOTAL', 100000):,} keys (exec → first get)", "startup_keys", "ms", False, field("ms")),
    ("RSS after that restart", "startup_keys", "MiB", False, field("rss_after_restart_kib", KIB)),
    (f"RSS growth per lease, {E('LEASES_MANY', 100000):,} leases", "rss_leases", "bytes/lease", False, field("bytes_per_lease")),
    (f"heap growth per lease (definitions differ, see script)", "rss_leases", "bytes/lease", False, field("heap_bytes_per_lease")),
    ("lease grant (no key), 64 clients", "grant-100k-leases", "req/s", True, rps),
]
def fmt(v):
    if v is None: return "n/a"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.2f}"
def print_table(suffix):
    """The table for the workloads recorded as <workload><suffix>; the main one also counts errors."""
    main = suffix == ""
    print("| workload | unit | better | etcd (median) | etcdj (median) | **etcdj/etcd** | per round etcd / etcdj |"
          + (" errors etcd / etcdj |" if main else ""))
    print("|---|---|---|---|---|---|---|" + ("---|" if main else ""))
    for label, w, unit, higher, get in table:
        e, j = rows.get((w + suffix, "etcd"), []), rows.get((w + suffix, "etcdj"), [])
        if not e and not j: continue
        ev = [get(r[0]) for r in e]; jv = [get(r[0]) for r in j]
        me, mj = med(ev), med(jv)
        ratio = f"**{mj / me:.2f}**" if me and mj is not None else "n/a"
        err = lambda rs: sum(sum(r[0].get("errors", {}).values()) for r in rs)
        per = ", ".join(fmt(v) for v in ev) + " / " + ", ".join(fmt(v) for v in jv)
        line = f"| {label} | {unit} | {'higher' if higher else 'lower'} | {fmt(me)} | {fmt(mj)} | {ratio} | {per} |"
        print(line + (f" {err(e)} / {err(j)} |" if main else ""))
print_table("")
if any(w.endswith("-first") for w, _ in rows):
    print()
    print("First pass of each workload (etcdj's JIT still compiling the path; the table above is the second pass):")
    print()
    print_table("-first")
print()
fo = [float(r[1]) for rs in rows.values() for r in rs if r[1]]
ld = [float(r[2]) for rs in rows.values() for r in rs if r[2]]
if fo: print(f"foreign CPU % of both cores during the timed runs: median {statistics.median(fo):.0f}, min {min(fo):.0f}, max {max(fo):.0f}")
if ld: print(f"1-minute load average at the start of each run: median {statistics.median(ld):.1f}, min {min(ld):.1f}, max {max(ld):.1f}")
PY
}

main() {
  OUT=${1:-$(mktemp -d "${DATA_PARENT}/etcdj-compare.XXXXXX")}
  mkdir -p "$OUT"
  RESULTS="$OUT/results.tsv"
  : >"$RESULTS"
  log "building (once, before any timing)"
  (cd "$ROOT" && ./mvnw -B -q -o -pl server,benchmarks -am package -DskipTests >&2)
  # The build rewrote the jars, which makes bin/etcd's start-up cache stale; train it now, in the
  # foreground, so no background training run competes with the first measured rounds.
  if [[ " $SERVERS " == *" etcdj "* ]]; then
    ETCDJ_AOT=sync ETCDJ_NO_BUILD=1 "$ROOT/bin/etcd" --version >&2
  fi
  log "out=$OUT rounds=$ROUNDS servers=$SERVERS loadavg=$(cat /proc/loadavg)"
  local round server
  for ((round = 1; round <= ROUNDS; round++)); do
    for server in $SERVERS; do
      one_round "$server" "$round"
      if [ "$round" -le "$STORAGE_ROUNDS" ]; then storage_round "$server" "$round"; fi
    done
  done
  log "done; loadavg=$(cat /proc/loadavg)"
  summarise "$RESULTS" | tee "$OUT/summary.md"
}

if [ "${1:-}" = "--summarise" ]; then summarise "$2"; exit 0; fi
main "$@"
