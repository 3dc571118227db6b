# shellcheck shell=bash
# Finds a JDK >= 21 for etcdj's launchers and build, and the JVM flags that JDK accepts.
# Sourced, not run. Sets JAVA_HOME, JAVA (the java binary), JAVA_MAJOR and ETCDJ_JVM_FLAGS.
#
# Order: JAVA_HOME if it is a JDK >= 21, else the newest JDK >= 21 under /usr/lib/jvm (the
# machine's default java is 17, which cannot run class files built with --release 21).

etcdj_java_major() {
  # The JDK's release file (JAVA_VERSION="25.0.3" -> 25) saves starting a JVM per candidate
  # (0.1-0.3 s each, before every launch); fall back to "java -version" when it is missing.
  local major=""
  if [ -f "$1/release" ]; then
    major=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" | head -n 1)
  fi
  if [ -z "$major" ]; then
    # "openjdk version "25.0.3" 2025-..." / "java version "21.0.1"" -> 25 / 21
    major=$("$1/bin/java" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print v[1]; exit }')
  fi
  echo "$major"
}

etcdj_find_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(etcdj_java_major "$JAVA_HOME")
    if [ "${major:-0}" -ge 21 ]; then
      best="$JAVA_HOME"; best_major="$major"
    fi
  fi
  if [ -z "$best" ]; then
    for candidate in /usr/lib/jvm/* /opt/java/* /usr/local/java/*; do
      [ -x "$candidate/bin/javac" ] || continue
      [ -L "$candidate" ] && continue
      major=$(etcdj_java_major "$candidate")
      if [ "${major:-0}" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
        best="$candidate"; best_major="$major"
      fi
    done
  fi
  if [ -z "$best" ]; then
    echo "etcdj: no JDK 21 or newer found (set JAVA_HOME, or install one under /usr/lib/jvm)" >&2
    return 1
  fi
  export JAVA_HOME="$best"
  JAVA="$best/bin/java"
  JAVA_MAJOR="$best_major"
  # LMDB (lmdbjava) and Netty reach into java.nio; JDK 24+ also warns about sun.misc.Unsafe
  # unless told the access is intended. The flag does not exist before JDK 23.
  ETCDJ_JVM_FLAGS="--enable-native-access=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED"
  if [ "$JAVA_MAJOR" -ge 23 ]; then
    ETCDJ_JVM_FLAGS="$ETCDJ_JVM_FLAGS --sun-misc-unsafe-memory-access=allow"
  fi
}
