# shellcheck shell=bash
# Shared by bin/etcd, bin/etcdctl, bin/etcdutl, bin/benchmark: find the JDK, build the module
# if its classes are missing or older than its sources, then exec its main class.
#
#   etcdj_launch MODULE MAIN_CLASS [ARGS...]
#
# Environment: ETCDJ_JAVA_OPTS adds JVM options (e.g. -Xmx512m), after the defaults, so they win;
# ETCDJ_NO_BUILD=1 never builds (fails if the module is not built); ETCDJ_AOT=auto|sync|off
# controls the server's start-up cache (see etcdj_aot_flags). docs/server.md lists the defaults.

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

# The server's default JVM options, sized for a small member (docs/benchmarks.md, "Memory and
# start-up"): a heap that starts at 16 MiB and grows only as the data needs it (G1 otherwise
# starts at 1/64 of RAM: 384 MiB on 24 GiB), compact object headers on JDK 25+, and the JDK TLS
# engine, so Armeria does not unpack and load BoringSSL at start-up (etcdj serves plain HTTP/2
# only). The collector stays the JVM's choice (G1 on 2+ cores): -XX:+UseSerialGC saves another
# ~40 MiB but cost 10-20 % more CPU per put in our A/B runs. An option the operator sets in
# ETCDJ_JAVA_OPTS replaces the matching default rather than conflicting with it.
etcdj_server_jvm_defaults() {
  local w xms=1 coh=1 tls=1 d=""
  # shellcheck disable=SC2086
  for w in ${ETCDJ_JAVA_OPTS:-}; do
    case "$w" in
      -Xms*|-XX:InitialHeapSize=*) xms=0 ;;
      -XX:[+-]UseCompactObjectHeaders) coh=0 ;;
      -Dcom.linecorp.armeria.tlsEngineType=*) tls=0 ;;
    esac
  done
  [ $xms = 1 ] && d="$d -Xms16m"
  [ $coh = 1 ] && [ "$JAVA_MAJOR" -ge 25 ] && d="$d -XX:+UseCompactObjectHeaders"
  [ $tls = 1 ] && d="$d -Dcom.linecorp.armeria.tlsEngineType=jdk"
  echo "$d"
}

# Start-up cache for MODULE: a JDK AOT cache (JDK 25+, JEP 483/514/515: classes loaded and linked,
# method profiles) or, on JDK 21-24, a dynamic CDS archive (classes loaded). Both are written by a
# training run (the Training class next to MAIN_CLASS) under MODULE/target/aot/ and used only
# while the key (JDK, JVM options, classpath, each jar's size and mtime) matches the one they
# were built for.
# A missing or stale cache never delays or fails start-up: the server starts without it while a
# background training run (one at a time, bounded by a timeout) builds the next one; the cache
# file is replaced by rename, so a reader sees either the old or the new file. If the JVM rejects
# a cache anyway it runs without it (-XX:AOTMode=auto, -Xshare:auto, the JDK defaults).
#   ETCDJ_AOT=auto (default) as above; sync: train in the foreground first if needed (for
#   benchmarks and images); off: neither use nor build a cache.
# Sets ETCDJ_AOT_FLAGS.
etcdj_aot_flags() {
  local module="$1" trainer="$2" flags="$3" classpath="$4" dir key kind cache
  ETCDJ_AOT_FLAGS=""
  [ "${ETCDJ_AOT:-auto}" = off ] && return 0
  dir="$ETCDJ_ROOT/$module/target/aot"
  if [ "$JAVA_MAJOR" -ge 25 ]; then kind=aot; else kind=jsa; fi
  cache="$dir/$module.$kind"
  key=$( { echo "$JAVA $JAVA_MAJOR $kind $flags"; echo "$classpath"
           # shellcheck disable=SC2046
           stat -c '%n %s %Y' $(echo "$classpath" | tr ':' ' ') 2>&1; } | cksum)
  if [ ! -f "$cache" ] || [ "$(cat "$dir/key" 2>/dev/null)" != "$key" ]; then
    mkdir -p "$dir" || return 0
    if [ "${ETCDJ_AOT:-auto}" = sync ]; then
      echo "etcdj: building the start-up cache (about a minute)..." >&2
      etcdj_aot_train "$dir" "$cache" "$kind" "$key" "$trainer" "$flags" "$classpath"
    else
      # Detached: no shared stdio (a caller reading our output to EOF must not wait for it); the
      # JVM runs in its own session (stopping the server does not stop it; the timeout does).
      ( etcdj_aot_train "$dir" "$cache" "$kind" "$key" "$trainer" "$flags" "$classpath" ) \
        </dev/null >/dev/null 2>&1 &
      return 0
    fi
  fi
  [ -f "$cache" ] && [ "$(cat "$dir/key" 2>/dev/null)" = "$key" ] || return 0
  # A cache the JVM cannot use (stale, truncated, foreign) is ignored with a warning, on stdout by
  # default; send those warnings to stderr. The "aot" log tag exists only from JDK 24 on. A file
  # whose header is intact but whose body is damaged crashes the JVM while mapping it (tried:
  # 4 KiB of noise in the middle, SIGABRT); VerifySharedSpaces checks the CRCs first and turns
  # that into "Checksum verification failed" and a start without the cache (cost: not
  # measurable next to the JVM's start on this machine).
  if [ "$kind" = aot ]; then
    ETCDJ_AOT_FLAGS="-XX:AOTCache=$cache -Xlog:aot*=off,cds*=off -Xlog:aot*=warning,cds*=warning:stderr"
  else
    ETCDJ_AOT_FLAGS="-XX:SharedArchiveFile=$cache -Xlog:cds*=off -Xlog:cds*=warning:stderr"
  fi
  ETCDJ_AOT_FLAGS="$ETCDJ_AOT_FLAGS -XX:+VerifySharedSpaces"
}

# One training run at a time (flock); writes to a temporary file, then renames it into place.
etcdj_aot_train() {
  local dir="$1" cache="$2" kind="$3" key="$4" trainer="$5" flags="$6" classpath="$7" tmp out
  tmp="$dir/tmp.$$.$kind"
  if [ "$kind" = aot ]; then out="-XX:AOTCacheOutput=$tmp"; else out="-XX:ArchiveClassesAtExit=$tmp"; fi
  (
    flock -n 9 || exit 0
    [ -f "$cache" ] && [ "$(cat "$dir/key" 2>/dev/null)" = "$key" ] && exit 0
    # shellcheck disable=SC2086
    if command -v setsid >/dev/null; then set -- setsid; else set --; fi
    # shellcheck disable=SC2086
    if "$@" timeout -k 10 600 "$JAVA" $flags "$out" -cp "$classpath" "$trainer" "$dir" \
         >"$dir/training.log" 2>&1 && [ -s "$tmp" ]; then
      mv -f "$tmp" "$cache" && echo "$key" >"$dir/key"
    fi
    rm -f "$tmp" "$tmp.config"
  ) 9>"$dir/lock"
}

etcdj_launch() {
  local module="$1" main="$2"; shift 2
  etcdj_find_jdk || exit 1
  if [ "${ETCDJ_NO_BUILD:-0}" != 1 ] && etcdj_is_stale "$module"; then
    etcdj_build "$module" || exit 1
  fi
  local cp_file="$ETCDJ_ROOT/$module/target/classpath.txt" jar flags classpath
  jar=$(ls "$ETCDJ_ROOT/$module/target/$module"-*.jar 2>/dev/null | grep -v -- '-tests.jar' | head -n 1)
  if [ ! -f "$cp_file" ] || [ -z "$jar" ]; then
    echo "etcdj: $module is not built (run ./mvnw -DskipTests package)" >&2
    exit 1
  fi
  classpath="$jar:$(cat "$cp_file")"
  flags="$ETCDJ_JVM_FLAGS"
  ETCDJ_AOT_FLAGS=""
  if [ "$module" = server ]; then
    flags="$flags $(etcdj_server_jvm_defaults)"
    # glibc gives each thread that mallocs its own arena; two arenas hold ~20 MiB less idle.
    export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
    etcdj_aot_flags server "${main%.*}.Training" "$flags" "$classpath"
  fi
  # shellcheck disable=SC2086
  exec "$JAVA" $flags $ETCDJ_AOT_FLAGS ${ETCDJ_JAVA_OPTS:-} -cp "$classpath" "$main" "$@"
}
