#!/usr/bin/env bash
# The ESP system benchmark: TCP throughput (iperf3) and UDP round trip of 64-byte messages, bare routing vs.
# steadfast client + gateway (ESP in UDP 4500, AES-128-GCM and ChaCha20-Poly1305), in network namespaces it
# creates and deletes. Prints a Markdown table and writes it to benchmarks/results/esp-system.md.
#   sudo benchmarks/system-benchmark.sh [--seconds 5] [--warmup-seconds 20] [--repeat 3] [--streams 4] [--out FILE] [--help]
# Takes about 5 minutes with the defaults. Needs root, JDK 25, Maven (first run only) and iperf3.
# The machine should be otherwise idle: everything shares its CPUs (the report says how busy it was).
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
JAR="$ROOT/benchmarks/target/benchmarks.jar"

if [ "$(id -u)" -ne 0 ]; then
  echo "system-benchmark: must run as root (it creates network namespaces, veth pairs and TUN devices); try: sudo $0 $*" >&2
  exit 1
fi

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
  echo "system-benchmark: no JDK 25 or newer found (looked at JAVA_HOME and /usr/lib/jvm); install one, e.g. Temurin 25" >&2
  return 1
}

JDK=$(find_jdk)

if ! command -v iperf3 >/dev/null; then
  echo "system-benchmark: iperf3 is missing: apt-get install iperf3 (or run .ci/setup)" >&2
  exit 1
fi

if [ ! -f "$JAR" ]; then
  command -v mvn >/dev/null || { echo "system-benchmark: Maven is needed to build $JAR (apt-get install maven, or run .ci/setup)" >&2; exit 1; }
  echo "system-benchmark: building $JAR ..." >&2
  (cd "$ROOT" && JAVA_HOME="$JDK" mvn -B -q -Dstyle.color=never -DskipTests package >&2) || {
    echo "system-benchmark: build failed" >&2; exit 1; }
fi

cd "$ROOT"
status=0
"$JDK/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -cp "$JAR" io.steadfast.benchmarks.system.SystemBenchmark "$@" || status=$?

# The Java side deletes its own namespaces (and fails if one is left); other runs may have theirs, so only report.
left=$(ip netns list 2>/dev/null | grep -c '^sft-' || true)
if [ "$left" -ne 0 ]; then
  echo "system-benchmark: note: $left sft-* namespace(s) exist now (this run's own are checked by the benchmark; others may belong to concurrent tests): ip netns list" >&2
fi
exit "$status"
