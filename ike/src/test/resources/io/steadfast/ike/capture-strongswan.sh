#!/bin/bash
# Captures a strongSwan-to-strongSwan IKEv2 PSK handshake as a parse fixture (strongswan-5.9.8-psk.txt).
# Needs root and: apt-get install strongswan-charon strongswan-swanctl libcharon-extra-plugins tshark.
# Two charons run in network namespaces of their own, each with a private mount namespace whose /run is a
# directory of ours (charon's pid file lives in /run); everything is stopped by PID and deleted on exit.
# Usage: capture-strongswan.sh OUTPUT_FILE
set -euo pipefail
OUT=${1:?usage: $0 OUTPUT_FILE}
W=$(mktemp -d /tmp/sf-ike-capture.XXXXXX)
NSA=sfike-$$-a; NSB=sfike-$$-b
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 1
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  ip netns del $NSA 2>/dev/null || true; ip netns del $NSB 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT

for s in a b; do
  mkdir -p $W/$s/run
  cat > $W/$s/strongswan.conf <<CONF
charon {
  load = random nonce openssl pem pkcs1 x509 pubkey kdf sha2 hmac aes gcm kernel-libipsec kernel-netlink socket-default vici
  install_routes = no
  install_virtual_ip = no
  send_vendor_id = no
  plugins { vici { socket = unix://$W/$s/charon.vici } }
  filelog { keys { path = $W/$s/charon.log
    default = 1
    ike = 4 } }
}
CONF
done
cat > $W/a/swanctl.conf <<'CONF'
connections { gw { version = 2
  local_addrs = 10.231.0.1
  remote_addrs = 10.231.0.2
  proposals = aes128gcm16-prfsha256-x25519
  fragmentation = yes
  vips = 0.0.0.0
  encap = yes
  local { auth = psk
    id = client.example }
  remote { auth = psk
    id = gw.example }
  children { net { remote_ts = 10.10.0.0/16
    esp_proposals = aes128gcm16 } } } }
secrets { ike-1 { id-1 = client.example
  id-2 = gw.example
  secret = "steadfast-test-psk" } }
CONF
cat > $W/b/swanctl.conf <<'CONF'
connections { gw { version = 2
  local_addrs = 10.231.0.2
  remote_addrs = 10.231.0.1
  proposals = aes256gcm16-aes128gcm16-prfsha512-prfsha256-ecp256-x25519
  fragmentation = yes
  encap = yes
  pools = pool
  local { auth = psk
    id = gw.example }
  remote { auth = psk
    id = client.example }
  children { net { local_ts = 10.10.0.0/16
    esp_proposals = aes128gcm16 } } } }
pools { pool { addrs = 10.99.0.0/24
  dns = 10.99.0.53 } }
secrets { ike-1 { id-1 = client.example
  id-2 = gw.example
  secret = "steadfast-test-psk" } }
CONF

ip netns add $NSA; ip netns add $NSB
ip link add sfike-a type veth peer name sfike-b
ip link set sfike-a netns $NSA; ip link set sfike-b netns $NSB
ip -n $NSA addr add 10.231.0.1/24 dev sfike-a; ip -n $NSA link set sfike-a up; ip -n $NSA link set lo up
ip -n $NSB addr add 10.231.0.2/24 dev sfike-b; ip -n $NSB link set sfike-b up; ip -n $NSB link set lo up
ip netns exec $NSA dumpcap -q -i sfike-a -w $W/capture.pcapng >/dev/null 2>&1 & PIDS+=($!)
for s in a b; do
  ns=$NSA; [ $s = b ] && ns=$NSB
  ip netns exec $ns unshare -m --propagation private sh -c \
    "mount --bind $W/$s/run /run && exec env STRONGSWAN_CONF=$W/$s/strongswan.conf /usr/lib/ipsec/charon" \
    >$W/$s/stdout.log 2>&1 & PIDS+=($!)
done
sleep 3
for s in a b; do
  STRONGSWAN_CONF=$W/$s/strongswan.conf swanctl --load-all --file $W/$s/swanctl.conf --uri unix://$W/$s/charon.vici >/dev/null 2>&1
done
STRONGSWAN_CONF=$W/a/strongswan.conf timeout 20 swanctl --initiate --child net --uri unix://$W/a/charon.vici \
  2>/dev/null | grep -E '^\[(ENC|IKE)\]' || true
sleep 2

python3 - "$W" "$OUT" <<'PY'
import re, subprocess, sys
w, out = sys.argv[1], sys.argv[2]
fields = subprocess.run(["tshark", "-r", w + "/capture.pcapng", "-Y", "udp", "-T", "fields", "-e", "ip.src",
                         "-e", "udp.srcport", "-e", "udp.dstport", "-e", "udp.payload"], capture_output=True, text=True).stdout
packets = [l.split("\t") for l in fields.splitlines() if l.split("\t")[-1]]
log = open(w + "/a/charon.log").read().splitlines()
def dump(label):
    for i, line in enumerate(log):
        m = re.search(r"\] " + re.escape(label) + r" => (\d+) bytes", line)
        if m:
            n, hx, j = int(m.group(1)), "", i + 1
            while len(hx) < 2 * n:
                hx += re.match(r"\d+\[\w+\]\s+\d+: ((?:[0-9A-F]{2} )+)", log[j]).group(1).replace(" ", "").lower()
                j += 1
            return hx[:2 * n]
    raise SystemExit("not in the log: " + label)
lines = ["# Captured by capture-strongswan.sh from strongSwan 5.9.8; see that script for the configuration.",
         "psk = " + b"steadfast-test-psk".hex()]
for name, p in zip(["ike_sa_init_request", "ike_sa_init_response", "ike_auth_request", "ike_auth_response"], packets):
    lines += ["# %s from %s:%s to port %s" % (name, p[0], p[1], p[2]), name + " = " + p[3]]
for key, label in [("dh_secret", "shared Diffie Hellman secret"), ("skeyseed", "SKEYSEED"), ("sk_d", "Sk_d secret"),
                   ("sk_ei", "Sk_ei secret"), ("sk_er", "Sk_er secret"), ("sk_pi", "Sk_pi secret"), ("sk_pr", "Sk_pr secret")]:
    lines.append(key + " = " + dump(label))
open(out, "w").write("\n".join(lines) + "\n")
PY
echo "wrote $OUT"
