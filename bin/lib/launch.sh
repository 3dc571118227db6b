# shellcheck shell=bash
# Shared by bin/etcd, bin/etcdctl, bin/etcdutl, bin/benchmark: find the JDK, build the module
# if its classes are missing or older than its sources, then exec its main class.
#
#   etcdj_launch MODULE MAIN_CLASS [ARGS...]
#
# Environment: ETCDJ_JAVA_OPTS adds JVM options (e.g. -Xmx512m); ETCDJ_NO_BUILD=1 never builds
# (fails if the module is not built).

ETCDJ_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=bin/lib/jdk.sh
. "$ETCDJ_ROOT/bin/lib/jdk.sh"

# The modules each program needs, so a change elsewhere does not force a rebuild.
etcdj_module_closure() {
  case "$1" in
    server)     echo "api pkg raft server" ;;
    client)     echo "api client" ;;
    etcdctl)    echo "api client etcdctl" ;;
    etcdutl)    echo "api pkg raft server etcdutl" ;;
    benchmarks) echo "api pkg raft server client benchmarks" ;;
    *)          echo "$1" ;;
  esac
}

# True when MODULE's launcher classpath is older than a source file or pom it is built from.
etcdj_is_stale() {
  local module="$1" stamp="$ETCDJ_ROOT/$1/target/classpath.txt" m dirs=()
  [ -f "$stamp" ] || return 0
  for m in $(etcdj_module_closure "$module"); do
    dirs+=("$ETCDJ_ROOT/$m/src/main" "$ETCDJ_ROOT/$m/pom.xml")
  done
  dirs+=("$ETCDJ_ROOT/pom.xml")
  [ -n "$(find "${dirs[@]}" -newer "$stamp" -print -quit 2>/dev/null)" ]
}

etcdj_build() {
  local module="$1"
  mkdir -p "$ETCDJ_ROOT/target"
  (
    # One build at a time: tests start several launchers at once.
    flock 9
    if etcdj_is_stale "$module"; then
      echo "etcdj: building $module (first use or sources changed)..." >&2
      (cd "$ETCDJ_ROOT" && ./mvnw -B -q -DskipTests -pl "$module" -am package >&2) || {
        echo "etcdj: build of $module failed" >&2; exit 1; }
    fi
  ) 9>"$ETCDJ_ROOT/target/.build.lock"
}

etcdj_launch() {
  local module="$1" main="$2"; shift 2
  etcdj_find_jdk || exit 1
  if [ "${ETCDJ_NO_BUILD:-0}" != 1 ] && etcdj_is_stale "$module"; then
    etcdj_build "$module" || exit 1
  fi
  local cp_file="$ETCDJ_ROOT/$module/target/classpath.txt" jar
  jar=$(ls "$ETCDJ_ROOT/$module/target/$module"-*.jar 2>/dev/null | grep -v -- '-tests.jar' | head -n 1)
  if [ ! -f "$cp_file" ] || [ -z "$jar" ]; then
    echo "etcdj: $module is not built (run ./mvnw -DskipTests package)" >&2
    exit 1
  fi
  # shellcheck disable=SC2086
  exec "$JAVA" $ETCDJ_JVM_FLAGS ${ETCDJ_JAVA_OPTS:-} -cp "$jar:$(cat "$cp_file")" "$main" "$@"
}
