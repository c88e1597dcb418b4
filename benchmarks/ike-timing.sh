#!/usr/bin/env bash
# IKE_SA_INIT + IKE_AUTH handshake time of our initiator (a `steadfast client`'s ike stage) and of strongSwan's
# (a second charon, `swanctl --initiate`), side by side against the same strongSwan charon responder, PSK, in
# network namespaces it creates and deletes. Measured on the wire (dumpcap on the responder's host, first
# IKE_SA_INIT request to the IKE_AUTH response); the initiators take turns, HANDSHAKES each, our first (cold JVM)
# handshake apart. Prints a Markdown report and writes it to benchmarks/results/ike-timing.md (or --out).
#   sudo benchmarks/ike-timing.sh [--handshakes 20] [--proposal aes128gcm16-prfsha256-x25519] [--out FILE]
#                                 [--transport auto|epoll|io_uring] [--capture FILE.pcapng] [--help]
# Takes about 2.6 s a pair of handshakes (our client retries 2 s after the responder deletes its SA).
# Needs root, JDK 25, Maven (first run only: it builds benchmarks/target/benchmarks.jar with `mvn package`,
# never `install`; delete the jar to rebuild), strongSwan (charon, swanctl, kernel-libipsec) and tshark/dumpcap.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)

if [ "$(id -u)" -ne 0 ]; then
  echo "ike-timing: must run as root (it creates network namespaces and runs charon); try: sudo $0 $*" >&2
  exit 1
fi
for tool in dumpcap tshark swanctl setpriv; do
  command -v "$tool" >/dev/null || { echo "ike-timing: $tool missing: apt-get install tshark strongswan-swanctl util-linux (or run .ci/setup)" >&2; exit 1; }
done

NAME=ike-timing
. "$ROOT/benchmarks/benchmark-jar.sh"
build_jar

cd "$ROOT"
exec "$JDK/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -cp "$JAR" io.steadfast.benchmarks.system.IkeTiming "$@"
