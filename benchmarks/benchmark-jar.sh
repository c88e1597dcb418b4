# Sourced by the benchmark scripts: finds a JDK 25 (the root steadfast launcher's search) and builds
# benchmarks/target/benchmarks.jar with `mvn package` (never `install`) if it is missing. Needs NAME (for
# messages) and ROOT (the repository) set; sets JDK and JAR.
JAR="$ROOT/benchmarks/target/benchmarks.jar"

java_major() { # prints the major version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

find_jdk() { # the same search as the root steadfast launcher: JAVA_HOME, Temurin 25, then /usr/lib/jvm/*
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*)
  for home in "${candidates[@]}"; do
    if [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ]; then
      local v; v=$(java_major "$home/bin/java")
      if [ -n "$v" ] && [ "$v" -ge 25 ]; then echo "$home"; return 0; fi
    fi
  done
  echo "$NAME: no JDK 25 or newer found (looked at JAVA_HOME and /usr/lib/jvm); install one, e.g. Temurin 25" >&2
  return 1
}

build_jar() { # builds $JAR unless it exists
  [ -f "$JAR" ] && return 0
  command -v mvn >/dev/null || { echo "$NAME: Maven is needed to build $JAR (apt-get install maven, or run .ci/setup)" >&2; return 1; }
  echo "$NAME: building $JAR ..." >&2
  (cd "$ROOT" && JAVA_HOME="$JDK" mvn -B -q -Dstyle.color=never -DskipTests package >&2) || {
    echo "$NAME: build failed" >&2; return 1; }
}

JDK=$(find_jdk)
