#!/usr/bin/env bash
# Runs the raft simulation over N seeds (default 1000) starting at FIRST (default 1) and ends
# with the line "N seeds, V violations"; exits 1 if V > 0. Each failing seed is printed with
# its replay command. Usage: scripts/raft-soak.sh N [FIRST]
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-1000}"
first="${2:-1}"
# shellcheck source=../bin/lib/jdk.sh
. bin/lib/jdk.sh
etcdj_find_jdk
./mvnw -B -q -o -pl raft test-compile >&2
exec "$JAVA" -cp raft/target/classes:raft/target/test-classes \
  io.etcdj.raft.simulation.SoakMain "$count" "$first"
