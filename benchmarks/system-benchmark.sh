#!/usr/bin/env bash
# The system benchmark: TCP throughput (iperf3, 1 and 4 streams) and the UDP and TCP round trips of 64-byte
# messages over (a) bare routing, (b) steadfast client + gateway (ESP in UDP 4500, AES-128-GCM and
# ChaCha20-Poly1305), (c) steadfast client + gateway + relay, and the anchors strongSwan 5.9.8 (b') and (c') (the
# same plus a relay hop: a VXLAN tunnel through a fourth namespace), wireguard-go and OpenVPN 2.6, each in
# network namespaces it creates and deletes. Prints a Markdown report in the paper's shape and writes it to
# benchmarks/results/system.md (or --out).
#   sudo benchmarks/system-benchmark.sh [--paths a,b,b-plain,b-uring,b-chacha,c,sw,sw-relay,wg,ovpn] [--interleave] [--seconds 5]
#                                       [--warmup-seconds 20] [--repeat 3] [--streams 4] [--out FILE] [--help]
# --interleave opens every row at once and takes run i of each measurement on every row in turn, so a drift of
# the machine's speed hits all rows alike (use it for close comparisons such as (c) against (b)).
# Takes about 7 minutes with the defaults (every row); a quick check of every row:
#   sudo benchmarks/system-benchmark.sh --seconds 2 --repeat 1 --warmup-seconds 3 --out /tmp/system.md
# Needs root, JDK 25, Maven (first run only: it builds benchmarks/target/benchmarks.jar with `mvn package`,
# never `install`; delete the jar to rebuild), and the programs of the selected rows (checked below).
# The machine should be otherwise idle: everything shares its CPUs (the report says how busy it was).
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)

if [ "$(id -u)" -ne 0 ]; then
  echo "system-benchmark: must run as root (it creates network namespaces, veth pairs and TUN devices); try: sudo $0 $*" >&2
  exit 1
fi

NAME=system-benchmark
. "$ROOT/benchmarks/benchmark-jar.sh"

selected_paths() { # the --paths value among the arguments, or the default rows
  local paths="a,b,b-plain,b-uring,b-chacha,c,sw,sw-relay,wg,ovpn"
  while [ $# -gt 0 ]; do
    case "$1" in
      --paths) paths="${2:-}"; shift ;;
      --paths=*) paths="${1#--paths=}" ;;
    esac
    shift
  done
  echo "$paths"
}

missing=()
need() { # need PROGRAM DEBIAN-PACKAGE: remembers the package if the program is not on the PATH
  command -v "$1" >/dev/null || lack "$2 (for $1)"
}
lack() { # lack "PACKAGE (for WHAT)": remembers it once
  case " ${missing[*]:-} " in *" $1 "*) ;; *) missing+=("$1") ;; esac
}
need iperf3 iperf3
need ping iputils-ping
need ip iproute2
IFS=',' read -r -a rows <<< "$(selected_paths "$@")"
for row in "${rows[@]}"; do
  case "${row// /}" in
    wg) need wireguard-go wireguard-go; need wg wireguard-tools ;;
    ovpn) need openvpn openvpn; need openssl openssl ;;
    sw|sw-relay) need swanctl strongswan-swanctl; need unshare util-linux
      [ -x /usr/lib/ipsec/charon ] || lack "strongswan-charon (for /usr/lib/ipsec/charon)"
      [ -f /usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so ] || lack "libcharon-extra-plugins (for kernel-libipsec)" ;;
  esac
done
if [ ${#missing[@]} -ne 0 ]; then
  echo "system-benchmark: missing programs for the selected rows: ${missing[*]}" >&2
  echo "system-benchmark: apt-get install the packages named (or run .ci/setup), or leave those rows out with --paths" >&2
  exit 1
fi

build_jar

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
