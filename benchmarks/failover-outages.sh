#!/usr/bin/env bash
# The outage of a failover between two strongSwan gateways, as the paper measured it (its Figure 6): runs the
# demo (`steadfast demo --strongswan`) RUNS times for each of hot and cold standby and each failure kind
# (gateway 1's charon killed, or its path cut), and prints each outage (the longest gap in the TCP stream the
# client receives at 100 Mbit/s) and the median of each case. Needs root, JDK 25, strongSwan (.ci/setup).
#   sudo benchmarks/failover-outages.sh [RUNS]      # default 5 runs per case, about 17 s each
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
RUNS=${1:-5}
if [ "$(id -u)" -ne 0 ]; then echo "failover-outages: must run as root (namespaces, TUN devices, charon)" >&2; exit 1; fi
OUT=$(mktemp -d /tmp/steadfast-outages.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
printf '| standby | failure | outages (ms) | median (ms) |\n|---|---|---|---:|\n'
for mode in hot cold; do
  for failure in kill cut; do
    outages=()
    for run in $(seq 1 "$RUNS"); do
      extra=()
      [ "$mode" = cold ] && extra=(--cold)
      line=$("$ROOT/steadfast" demo --strongswan "${extra[@]}" --failure "$failure" --seconds 6 --fail-at 3 \
               --out "$OUT/$mode-$failure-$run" 2>&1 | grep "^demo: outage" || true)
      ms=$(sed -n 's/^demo: outage \([0-9]*\) ms.*checksum matched: yes$/\1/p' <<<"$line")
      if [ -z "$ms" ]; then echo "failover-outages: run $mode/$failure/$run failed: ${line:-no summary}" >&2; exit 1; fi
      outages+=("$ms")
    done
    median=$(printf '%s\n' "${outages[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}')
    printf '| %s | %s | %s | %s |\n' "$mode" "$([ "$failure" = kill ] && echo "charon killed" || echo "path cut")" "${outages[*]}" "$median"
  done
done
