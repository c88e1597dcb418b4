package io.steadfast.pipeline.profile;

import io.steadfast.pipeline.config.ConfigReader;
import io.steadfast.pipeline.config.Ipv4Prefix;
import io.steadfast.pipeline.config.Problem;
import io.steadfast.pipeline.config.Problems;
import io.steadfast.relay.AddressPrefix;
import io.steadfast.relay.RelayClientConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code steadfast.relay} and the relay key file. The key file has one client per line:
 * {@code CLIENT-ID STABLE-ADDRESS KEY} (id decimal, S dotted, key hex of at least 16 bytes); the relay
 * reads every line, a client picks its own line by {@code client-id}.
 */
final class RelayReader {
    private static final Set<String> KEYS = Set.of("address", "serves", "key-file", "client-id", "stable-address", "care-of", "lifetime");

    private RelayReader() {}

    static RelaySpec read(Path profileFile, Kind kind, TunSpec tun, ConfigReader relay) {
        relay.rejectUnknownKeys(KEYS);
        if (!relay.userHas("address")) {
            for (String k : KEYS) {
                if (relay.userHas(k)) relay.problem("address", "missing; the relay's address R is needed when steadfast.relay is set");
            }
            return RelaySpec.NONE;
        }
        int address = address(relay, "address");
        Path keyFile = relay.path("key-file", true);
        List<RelayClientConfig> clients = List.of();
        if (keyFile != null) {
            if (!keyFile.isAbsolute() && profileFile.getParent() != null) keyFile = profileFile.getParent().resolve(keyFile);
            clients = readKeys(keyFile, relay.problems());
        }
        if (kind == Kind.RELAY) {
            List<AddressPrefix> serves = new ArrayList<>();
            for (String p : relay.strings("serves", true)) {
                try {
                    Ipv4Prefix prefix = Ipv4Prefix.parse(p).network();
                    serves.add(new AddressPrefix(prefix.address(), prefix.length()));
                } catch (IllegalArgumentException e) {
                    relay.problem("serves", e.getMessage() + "; expected prefixes such as [\"10.9.0.0/16\"]");
                }
            }
            return new RelaySpec(address, serves, clients, null, 0, Duration.ZERO);
        }
        int id = relay.intInRange("client-id", 1, Integer.MAX_VALUE);
        int stable = relay.has("stable-address") ? address(relay, "stable-address")
                : tun.addresses().isEmpty() ? 0 : tun.addresses().get(0).address();
        if (stable == 0) relay.problem("stable-address", "missing, and the TUN has no address to take it from");
        int careOf = relay.has("care-of") ? address(relay, "care-of") : 0;
        Duration lifetime = relay.duration("lifetime", Duration.ofSeconds(1));
        RelayClientConfig self = clients.stream().filter(c -> c.clientId() == id).findFirst().orElse(null);
        if (self == null && keyFile != null) {
            relay.problem("client-id", "no key for client " + id + " in " + keyFile);
        } else if (self != null && self.stableAddress() != stable) {
            relay.problem("stable-address", "the key file gives client " + id + " the stable address "
                    + io.steadfast.relay.Ipv4.format(self.stableAddress()) + ", not " + io.steadfast.relay.Ipv4.format(stable));
        }
        return new RelaySpec(address, List.of(), List.of(), self, careOf, lifetime);
    }

    private static int address(ConfigReader r, String key) {
        try {
            return Ipv4Prefix.parseAddress(r.string(key));
        } catch (IllegalArgumentException e) {
            r.problem(key, e.getMessage());
            return 0;
        }
    }

    /** Every client line of the key file; problems at file:line. */
    static List<RelayClientConfig> readKeys(Path file, Problems problems) {
        List<RelayClientConfig> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            problems.add(new Problem(file.toString(), -1, null, "cannot read the relay key file: " + e.getMessage()));
            return out;
        }
        KeyFile.warnIfLoose(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] w = line.split("\\s+");
            try {
                if (w.length != 3) throw new IllegalArgumentException("expected: CLIENT-ID STABLE-ADDRESS KEY (hex), found " + w.length + " words");
                int id = Integer.parseInt(w[0]);
                int stable = Ipv4Prefix.parseAddress(w[1]);
                String hex = w[2].startsWith("0x") ? w[2].substring(2) : w[2];
                out.add(new RelayClientConfig(id, stable, HexFormat.of().parseHex(hex)));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(file.toString(), i + 1, null, e.getMessage()));
            }
        }
        return out;
    }
}
