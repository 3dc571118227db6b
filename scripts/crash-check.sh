#!/usr/bin/env bash
# crash-check.sh: kill -9 under load, restart on the same data dir, check that no acknowledged
# write was lost. See docs/testing.md.
#
#   scripts/crash-check.sh [options] ROUNDS
#
# Each round: start the server (bin/etcd, or the reference etcd with --reference) on free loopback
# ports, run WRITERS concurrent writers that put unique keys with the Go etcdctl and record every
# acknowledged put (key, value, revision from the response header), SIGKILL the server at a random
# moment, restart it on the same data dir and check that every write acknowledged so far, in this
# round or an earlier one, is present with its value and mod_revision. The last line is exactly
#   R rounds, A acked, L lost
# and the exit code is 0 only if L = 0 and every round ran (1: losses; 2: the harness failed).
#
# Options:
#   --reference          run the reference etcd ($ETCD_REFERENCE, default /usr/bin/etcd)
#   --wipe-data-dir      negative control: delete the data dir before each restart (must report losses)
#   --plant-wrong-revision  negative control of the mod_revision check: record the first acked put
#                        with its revision + 1 (must report exactly 1 lost)
#   --writers N          concurrent writers (default 3)
#   --max-load-ms MS     kill after a random 300..MS ms of load (default 3000)
#   --deadline-s S       give up after S seconds in total (default 60 + 40 x ROUNDS)
#   --snapshot-count N   the server's --snapshot-count (default 500: snapshots and WAL replay from
#                        a snapshot happen every few rounds)
#   --keep               keep the work dir (data dir, server logs, acked log) for inspection
# Environment: ETCDCTL (default /usr/bin/etcdctl), ETCD_REFERENCE, TMPDIR.
set -u -o pipefail

ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
ETCDCTL="${ETCDCTL:-/usr/bin/etcdctl}"
REFERENCE=0 WIPE=0 PLANT=0 SNAPSHOT_COUNT=500 WRITERS=3 MAX_LOAD_MS=3000 DEADLINE_S="" KEEP=0 ROUNDS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --reference) REFERENCE=1 ;;
    --wipe-data-dir) WIPE=1 ;;
    --plant-wrong-revision) PLANT=1 ;;
    --writers) WRITERS="$2"; shift ;;
    --max-load-ms) MAX_LOAD_MS="$2"; shift ;;
    --deadline-s) DEADLINE_S="$2"; shift ;;
    --snapshot-count) SNAPSHOT_COUNT="$2"; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    -*) echo "crash-check: unknown option $1" >&2; exit 2 ;;
    *) ROUNDS="$1" ;;
  esac
  shift
done
case "$ROUNDS" in ''|*[!0-9]*) echo "usage: $0 [options] ROUNDS (see --help)" >&2; exit 2 ;; esac
[ "$MAX_LOAD_MS" -ge 300 ] || { echo "crash-check: --max-load-ms must be >= 300" >&2; exit 2; }
DEADLINE_S="${DEADLINE_S:-$((60 + 40 * ROUNDS))}"
END_AT=$((SECONDS + DEADLINE_S))

if [ "$REFERENCE" = 1 ]; then
  SERVER="${ETCD_REFERENCE:-/usr/bin/etcd}" SERVER_NAME="reference etcd" START_TIMEOUT_S=60
else
  SERVER="$ROOT/bin/etcd" SERVER_NAME="etcdj" START_TIMEOUT_S=180  # first use may build it
fi
[ -x "$SERVER" ] || { echo "crash-check: $SERVER not found" >&2; exit 2; }
[ -x "$ETCDCTL" ] || { echo "crash-check: $ETCDCTL not found (apt-get install -y etcd-client)" >&2; exit 2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/crash-check.XXXXXX")"
DATA_DIR="$WORK/data.etcd"
ACKED="$WORK/acked.txt"     # key value revision, one acknowledged put a line
LOST="$WORK/lost.txt"       # acked keys found missing or wrong by any check
STOP="$WORK/stop"           # writers finish their current put and exit once this exists
: > "$ACKED"; : > "$LOST"
SERVER_PID="" WRITER_PIDS=()

cleanup() {
  touch "$STOP"
  local pid
  for pid in "${WRITER_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  stop_server
  for pid in "${WRITER_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  if [ "$KEEP" = 1 ]; then echo "crash-check: work dir kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 2' INT TERM

# A loopback port nothing listens on (bash's /dev/tcp connect fails), random to avoid clashes with
# the other engineers' servers on this machine, and below the kernel's ephemeral range: a port in
# that range can be taken by any outgoing connection between this probe and the server's bind
# (CI once lost a run to it). The first start still retries on a clash (start_first).
EPHEMERAL_LOW="$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)"
free_port() {
  local port tries=0 low=10000 high=$((EPHEMERAL_LOW > 20000 ? EPHEMERAL_LOW : 60000))
  while [ $tries -lt 200 ]; do
    port=$((low + RANDOM % (high - low))); tries=$((tries + 1))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}
pick_ports() {
  CLIENT_PORT="$(free_port)" && PEER_PORT="$(free_port)" || { echo "crash-check: no free port" >&2; exit 2; }
  while [ "$PEER_PORT" = "$CLIENT_PORT" ]; do PEER_PORT="$(free_port)"; done
  ENDPOINT="127.0.0.1:$CLIENT_PORT"
}
pick_ports

ctl() { "$ETCDCTL" --endpoints="$ENDPOINT" --dial-timeout=1s --command-timeout=5s "$@"; }

start_server() {
  local log="$WORK/server-$1.log" deadline=$((SECONDS + START_TIMEOUT_S))
  "$SERVER" --name crash --data-dir "$DATA_DIR" \
    --listen-client-urls "http://$ENDPOINT" --advertise-client-urls "http://$ENDPOINT" \
    --listen-peer-urls "http://127.0.0.1:$PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$PEER_PORT" \
    --initial-cluster "crash=http://127.0.0.1:$PEER_PORT" --snapshot-count "$SNAPSHOT_COUNT" >"$log" 2>&1 &
  SERVER_PID=$!
  while [ $SECONDS -lt $deadline ]; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "crash-check: $SERVER_NAME exited during start ($1); log tail:" >&2; tail -n 20 "$log" >&2; return 1
    fi
    # A linearizable read passes only once the member has a leader and has replayed its log.
    # (Not `endpoint health`: that also needs the Alarm RPC, which is not what is tested here.)
    if ctl get crash-check-ready >/dev/null 2>"$WORK/ready.err"; then return 0; fi
    if grep -q "code = Unimplemented" "$WORK/ready.err"; then
      echo "crash-check: $SERVER_NAME does not serve KV yet: $(tail -n 1 "$WORK/ready.err")" >&2; return 1
    fi
    sleep 0.2
  done
  echo "crash-check: $SERVER_NAME not healthy within ${START_TIMEOUT_S}s ($1); log tail:" >&2; tail -n 20 "$log" >&2
  return 1
}

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill -9 "$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=""
}

# One writer: unique keys, so every acked put must be found exactly as written. A put whose
# etcdctl fails or times out is indeterminate and not recorded; only exit 0 means acknowledged.
writer() {
  local round="$1" id="$2" log="$WORK/acked-$1-$2.txt" i=0 key value out revision
  : > "$log"
  while [ ! -e "$STOP" ] && [ $i -lt 100000 ]; do
    key="k_${round}_${id}_$i" value="v_${round}_${id}_${i}_$RANDOM"
    if out="$(ctl put -w fields "$key" "$value" 2>/dev/null)"; then
      revision="$(awk -F' : ' '$1 == "\"Revision\"" { print $2 }' <<<"$out")"
      echo "$key $value ${revision:--}" >> "$log"
    fi
    i=$((i + 1))
  done
}

# Every acked write so far must be present with its value and, where recorded, its revision as
# mod_revision (keys are written once, so a later put cannot explain a different one).
check_acked() {
  local present="$WORK/present.txt" lost_now
  if ! ctl get --prefix k_ -w fields > "$WORK/get.txt" 2>"$WORK/get.err"; then
    echo "crash-check: reading back failed: $(cat "$WORK/get.err")" >&2; return 1
  fi
  awk -F' : ' '
    $1 == "\"Key\""         { key = substr($2, 2, length($2) - 2) }
    $1 == "\"ModRevision\"" { mod = $2 }
    $1 == "\"Value\""       { print key, substr($2, 2, length($2) - 2), mod }
  ' "$WORK/get.txt" > "$present"
  lost_now="$(awk '
    FILENAME == ARGV[1] { value[$1] = $2; mod[$1] = $3; next }  # not NR == FNR: present may be empty
    {
      if (!($1 in value))                 print $1, "missing"
      else if (value[$1] != $2)           print $1, "value", value[$1], "!=", $2
      else if ($3 != "-" && mod[$1] != $3) print $1, "mod_revision", mod[$1], "!=", $3
    }
  ' "$present" "$ACKED")"
  if [ -n "$lost_now" ]; then
    echo "$lost_now" | head -n 5 | sed 's/^/crash-check: lost: /' >&2
    echo "$lost_now" | awk '{ print $1 }' >> "$LOST"
  fi
  return 0
}

run_round() {
  local round="$1" w pid load_ms
  rm -f "$STOP"; WRITER_PIDS=()
  for w in $(seq 1 "$WRITERS"); do writer "$round" "$w" & WRITER_PIDS+=($!); done
  load_ms=$((300 + RANDOM % (MAX_LOAD_MS - 299)))
  sleep "$((load_ms / 1000)).$(printf '%03d' $((load_ms % 1000)))"
  kill -9 "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=""
  touch "$STOP"
  for pid in "${WRITER_PIDS[@]}"; do wait "$pid"; done
  WRITER_PIDS=()
  cat "$WORK"/acked-"$round"-*.txt >> "$ACKED"
  if [ "$PLANT" = 1 ] && [ "$round" = 1 ]; then
    awk 'NR == 1 && $3 != "-" { $3 = $3 + 1 } { print }' "$ACKED" > "$ACKED.planted" && mv "$ACKED.planted" "$ACKED"
  fi
  [ "$WIPE" = 0 ] || rm -rf "$DATA_DIR"
  start_server "after-kill-$round" || return 1
  check_acked
}

report() {
  local acked lost
  acked="$(wc -l < "$ACKED" | tr -d ' ')"
  lost="$(sort -u "$LOST" | grep -c . || true)"
  echo "$1 rounds, $acked acked, $lost lost"
  [ "$lost" = 0 ] || return 1
}

# The first start, on new ports when one was taken before the server bound it. Restarts keep the
# ports: the killed server's own sockets are the only ones that held them.
start_first() {
  local attempt
  for attempt in 1 2 3; do
    start_server "initial-$attempt" && return 0
    grep -qi "address already in use" "$WORK/server-initial-$attempt.log" || return 1
    stop_server; rm -rf "$DATA_DIR"; pick_ports
    echo "crash-check: a port was taken during start; again on client $ENDPOINT" >&2
  done
  return 1
}

echo "crash-check: $SERVER_NAME ($SERVER), $ROUNDS rounds, $WRITERS writers, client $ENDPOINT, work $WORK" >&2
start_first || { report 0; exit 2; }
done_rounds=0
for round in $(seq 1 "$ROUNDS"); do
  if [ $SECONDS -ge $END_AT ]; then
    echo "crash-check: deadline of ${DEADLINE_S}s reached after $done_rounds rounds" >&2
    report "$done_rounds"; exit 2
  fi
  run_round "$round" || { report "$done_rounds"; exit 2; }
  done_rounds=$round
  echo "crash-check: round $round: $(wc -l < "$WORK/present.txt" | tr -d ' ') keys present, $(wc -l < "$ACKED" | tr -d ' ') acked so far" >&2
done
report "$done_rounds" || exit 1
exit 0
