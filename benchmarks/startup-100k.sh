#!/usr/bin/env bash
# Loads 100k keys (16 B keys, 256 B values) into one server with bin/benchmark, reports its RSS,
# restarts it on the same data dir and times the restart until a linearizable get answers.
#
#   benchmarks/startup-100k.sh etcd|etcdj CLIENT_PORT PEER_PORT
#
# Run it for etcd and etcdj in alternation (A B A B) and compare; see docs/benchmarks.md.
# Needs Debian's etcd-server and etcd-client. Every wait is bounded; processes are stopped by PID.
set -u
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
KIND=$1; PORT=$2; PEER=$3; DIR=$(mktemp -d /tmp/s100k.XXXX)
start() {
  if [ "$KIND" = etcd ]; then
    /usr/bin/etcd --name default --data-dir $DIR/data --listen-client-urls http://127.0.0.1:$PORT --advertise-client-urls http://127.0.0.1:$PORT --listen-peer-urls http://127.0.0.1:$PEER --initial-advertise-peer-urls http://127.0.0.1:$PEER --initial-cluster default=http://127.0.0.1:$PEER --max-concurrent-streams 2147483647 > $DIR/log 2>&1 &
  else
    $ROOT/bin/etcd --name default --data-dir $DIR/data --listen-client-urls http://127.0.0.1:$PORT --advertise-client-urls http://127.0.0.1:$PORT --initial-advertise-peer-urls http://127.0.0.1:$PEER --initial-cluster default=http://127.0.0.1:$PEER > $DIR/log 2>&1 &
  fi
  PID=$!
}
ready() { for i in $(seq 1 600); do ETCDCTL_API=3 etcdctl --endpoints=127.0.0.1:$PORT --dial-timeout=1s get probe >/dev/null 2>&1 && return 0; sleep 0.05; done; return 1; }
rss() { echo $(( $(awk '/VmRSS/ {print $2}' /proc/$PID/status) / 1024 )); }
start; ready; echo "$KIND idle RSS MiB: $(rss)"
$ROOT/bin/benchmark --endpoints 127.0.0.1:$PORT --clients 16 --conns 4 put --key-size 16 --val-size 256 --key-space-size 100000 --sequential-keys --total 100000 --json > $DIR/put.json 2>/dev/null
echo "$KIND keys: $(ETCDCTL_API=3 etcdctl --endpoints=127.0.0.1:$PORT get "" --from-key --keys-only --limit 1 -w json 2>/dev/null | grep -o '"count":[0-9]*')"
echo "$KIND RSS after 100k keys MiB: $(rss)"
kill $PID; wait $PID 2>/dev/null
t0=$(date +%s%N); start; ready; t1=$(date +%s%N)
echo "$KIND start-up with 100k keys until first linearizable get: $(( (t1 - t0) / 1000000 )) ms; RSS after restart MiB: $(rss)"
kill $PID; wait $PID 2>/dev/null; rm -rf $DIR
