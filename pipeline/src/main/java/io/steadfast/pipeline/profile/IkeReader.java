package io.steadfast.pipeline.profile;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.steadfast.pipeline.config.ConfigReader;
import io.steadfast.pipeline.config.Ipv4Prefix;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads {@code steadfast.ike}: the gateways a client negotiates its SAs with, or a gateway's responder (IKEv2). */
final class IkeReader {
    private static final Set<String> KEYS = Set.of("gateways", "responder");
    private static final Set<String> RESPONDER_KEYS = Set.of("local-id", "psk-file", "certificate", "private-key", "ca",
            "ike-proposals", "esp-proposals", "local-ts", "pool");
    private static final Set<String> GATEWAY_KEYS = Set.of("name", "address", "local-id", "remote-id", "psk-file",
            "certificate", "private-key", "ca", "ike-proposals", "esp-proposals", "remote-ts");
    static final String DEFAULT_IKE = "aes128gcm16-prfsha256-x25519";
    static final String DEFAULT_ESP = "aes128gcm16";

    private IkeReader() {}

    static IkeSpec read(Path profileFile, ConfigReader ike) {
        ike.rejectUnknownKeys(KEYS);
        List<ConfigValue> elements = ike.list("gateways", false);
        List<IkeSpec.Gateway> gateways = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < elements.size(); i++) {
            ConfigValue v = elements.get(i);
            String at = ike.path("gateways") + "[" + i + "]";
            if (v.valueType() != ConfigValueType.OBJECT) {
                ike.problems().add(v.origin(), at, "expected a gateway { name = gw-a, address = \"10.1.0.2\", local-id = client@example, psk-file = psk.key }");
                continue;
            }
            IkeSpec.Gateway g = readGateway(profileFile, ike.reader((ConfigObject) v, com.typesafe.config.ConfigFactory.empty(), at), i);
            if (g == null) continue;
            if (!names.add(g.name())) ike.problems().add(v.origin(), at + ".name", "\"" + g.name() + "\" names two gateways");
            gateways.add(g);
        }
        IkeSpec.Responder responder = ike.userHas("responder") ? readResponder(profileFile, ike.child("responder")) : null;
        return new IkeSpec(gateways, responder);
    }

    /**
     * certificate, private-key and ca (PEM files, relative to the profile): our credentials and the CAs we trust
     * for the certificates of {@code peers} (for the error line: "the gateway's", "clients'").
     */
    private static io.steadfast.ike.auth.Certificates certificates(Path profileFile, ConfigReader g, String peers) {
        Path cert = file(profileFile, g.string("certificate"));
        if (!g.has("private-key")) g.problem("private-key", "missing; expected the PEM file of the certificate's private key (mode 0600)");
        if (!g.has("ca")) g.problem("ca", "missing; expected the PEM file of the CA " + peers + " certificates must chain to");
        if (!g.has("private-key") || !g.has("ca")) return null;
        Path key = file(profileFile, g.string("private-key"));
        Path ca = file(profileFile, g.string("ca"));
        try {
            KeyFile.warnIfLoose(key);
            return io.steadfast.ike.auth.Certificates.fromPem(key, cert, ca);
        } catch (IOException | RuntimeException e) {
            g.problem("certificate", "cannot load " + cert + ", " + key + " and " + ca + ": " + e.getMessage());
            return null;
        }
    }

    /** {@code name} as a path, relative ones relative to the profile's directory. */
    private static Path file(Path profileFile, String name) {
        Path p = Path.of(name);
        return !p.isAbsolute() && profileFile.getParent() != null ? profileFile.getParent().resolve(p) : p;
    }

    private static IkeSpec.Responder readResponder(Path profileFile, ConfigReader r) {
        r.rejectUnknownKeys(RESPONDER_KEYS);
        String localId = r.string("local-id");
        if (localId.isEmpty()) r.problem("local-id", "missing; expected the gateway's identity, e.g. gw.example.org");
        java.util.Map<String, byte[]> psks = new java.util.LinkedHashMap<>();
        io.steadfast.ike.auth.Certificates certificates = r.has("certificate") ? certificates(profileFile, r, "clients'") : null;
        if (!r.has("psk-file")) {
            if (!r.has("certificate")) {
                r.problem("psk-file", "missing; expected a file with one \"IDENTITY SECRET\" line per client (mode 0600), "
                        + "or certificate + private-key + ca");
            }
        } else {
            Path file = file(profileFile, r.string("psk-file"));
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                KeyFile.warnIfLoose(file);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (line.isEmpty() || line.startsWith("#")) continue;
                    String[] words = line.split("\\s+", 2);
                    if (words.length != 2) {
                        r.problems().add(new io.steadfast.pipeline.config.Problem(file.toString(), i + 1, null,
                                "expected: IDENTITY SECRET, e.g. client@example.org my-secret"));
                        continue;
                    }
                    psks.put(words[0], words[1].getBytes(StandardCharsets.UTF_8));
                }
                if (psks.isEmpty()) r.problem("psk-file", file + " names no client");
            } catch (IOException e) {
                r.problem("psk-file", "cannot read " + file + ": " + e.getMessage());
            }
        }
        List<Ipv4Prefix> ts = new ArrayList<>();
        for (String p : r.has("local-ts") ? r.strings("local-ts", false) : List.of("0.0.0.0/0")) {
            try {
                ts.add(Ipv4Prefix.parse(p).network());
            } catch (IllegalArgumentException e) {
                r.problem("local-ts", e.getMessage() + "; expected prefixes such as [\"10.2.0.0/16\"]");
            }
        }
        Ipv4Prefix pool = null;
        if (!r.has("pool")) {
            r.problem("pool", "missing; expected the virtual-IP pool, e.g. \"10.99.0.0/24\"");
        } else {
            try {
                pool = Ipv4Prefix.parse(r.string("pool"));
            } catch (IllegalArgumentException e) {
                r.problem("pool", e.getMessage());
            }
        }
        boolean credentials = r.has("certificate") ? certificates != null && (!r.has("psk-file") || !psks.isEmpty()) : !psks.isEmpty();
        if (localId.isEmpty() || !credentials || pool == null) return null;
        IkeSpec.Responder responder = new IkeSpec.Responder(localId, psks, r.has("ike-proposals") ? r.string("ike-proposals") : DEFAULT_IKE,
                r.has("esp-proposals") ? r.string("esp-proposals") : DEFAULT_ESP, ts, pool, certificates);
        try {
            responder.responderConfig();
        } catch (IllegalArgumentException e) {
            r.problem("ike-proposals", e.getMessage());
            return null;
        }
        return responder;
    }

    private static IkeSpec.Gateway readGateway(Path profileFile, ConfigReader g, int index) {
        g.rejectUnknownKeys(GATEWAY_KEYS);
        String name = g.has("name") ? g.string("name") : "gw-" + (index + 1);
        InetSocketAddress address = null;
        if (!g.has("address")) {
            g.problem("address", "missing; expected the gateway's address, e.g. \"10.1.0.2\" (port 4500 unless given)");
        } else {
            String text = g.string("address");
            int colon = text.indexOf(':');
            try {
                int port = colon < 0 ? 4500 : Integer.parseInt(text.substring(colon + 1));
                if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " out of range");
                int a = Ipv4Prefix.parseAddress(colon < 0 ? text : text.substring(0, colon));
                address = new InetSocketAddress(InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(a).array()), port);
            } catch (IllegalArgumentException | IOException e) {
                g.problem("address", "\"" + text + "\" is not an address (" + e.getMessage() + "); expected \"a.b.c.d\" or \"a.b.c.d:4500\"");
            }
        }
        String localId = g.string("local-id");
        if (localId.isEmpty()) g.problem("local-id", "missing; expected our identity, e.g. client@example.org or 10.1.0.1");
        String remoteId = g.has("remote-id") ? g.string("remote-id") : null;
        byte[] psk = null;
        io.steadfast.ike.auth.Certificates certificates = null;
        boolean certificateAuth = g.has("certificate");
        if (certificateAuth) {
            certificates = certificates(profileFile, g, "the gateway's");
        } else if (!g.has("psk-file")) {
            g.problem("psk-file", "missing; expected a file holding the pre-shared key (one line; mode 0600), "
                    + "or certificate + private-key + ca");
        } else {
            Path file = file(profileFile, g.string("psk-file"));
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (text.isEmpty()) g.problem("psk-file", file + " is empty");
                psk = text.getBytes(StandardCharsets.UTF_8);
                KeyFile.warnIfLoose(file);
            } catch (IOException e) {
                g.problem("psk-file", "cannot read " + file + ": " + e.getMessage());
            }
        }
        String ike = g.has("ike-proposals") ? g.string("ike-proposals") : DEFAULT_IKE;
        String esp = g.has("esp-proposals") ? g.string("esp-proposals") : DEFAULT_ESP;
        List<Ipv4Prefix> ts = new ArrayList<>();
        for (String p : g.has("remote-ts") ? g.strings("remote-ts", false) : List.of("0.0.0.0/0")) {
            try {
                ts.add(Ipv4Prefix.parse(p).network());
            } catch (IllegalArgumentException e) {
                g.problem("remote-ts", e.getMessage() + "; expected prefixes such as [\"10.2.0.0/16\"]");
            }
        }
        if (address == null || localId.isEmpty() || (certificateAuth ? certificates == null : psk == null)) return null;
        IkeSpec.Gateway gateway = new IkeSpec.Gateway(name, address, localId, remoteId, psk, ike, esp, ts, certificates);
        try {
            gateway.initiatorConfig(); // proposals and identities as the IKE library checks them
        } catch (IllegalArgumentException e) {
            g.problem("ike-proposals", e.getMessage());
            return null;
        }
        return gateway;
    }

}
