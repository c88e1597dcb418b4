package io.steadfast.pipeline.profile;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.steadfast.esp.EspAlgorithm;
import io.steadfast.pipeline.config.ConfigReader;
import io.steadfast.pipeline.config.Ipv4Prefix;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads {@code steadfast.esp}: manually keyed SAs, with their keys from the key file. */
final class EspReader {
    private static final Set<String> KEYS = Set.of("key-file", "replay-window", "security-associations");
    private static final Set<String> SA_KEYS = Set.of("name", "direction", "spi", "algorithm", "esn", "peer", "traffic-selector", "care-of");

    private EspReader() {}

    static EspSpec read(Path profileFile, ConfigReader esp) {
        esp.rejectUnknownKeys(KEYS);
        int window = esp.intInRange("replay-window", 64, 65536);
        List<ConfigValue> elements = esp.list("security-associations", false);
        if (elements.isEmpty()) return new EspSpec(null, window, List.of());
        Path keyFile = esp.path("key-file", true);
        Map<Integer, byte[]> keys = Map.of();
        if (keyFile != null) {
            if (!keyFile.isAbsolute() && profileFile.getParent() != null) keyFile = profileFile.getParent().resolve(keyFile);
            keys = KeyFile.read(keyFile, esp.problems());
        }
        List<SaSpec> sas = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<Integer> inboundSpis = new HashSet<>();
        for (int i = 0; i < elements.size(); i++) {
            ConfigValue v = elements.get(i);
            String at = esp.path("security-associations") + "[" + i + "]";
            if (v.valueType() != ConfigValueType.OBJECT) {
                esp.problems().add(v.origin(), at, "expected an SA { direction = out, spi = 0x1001, algorithm = aes128gcm16, peer = \"a.b.c.d:4500\" }");
                continue;
            }
            ConfigReader sa = esp.reader((ConfigObject) v, com.typesafe.config.ConfigFactory.empty(), at);
            SaSpec spec = readSa(sa, keys, keyFile);
            if (spec == null) continue;
            if (!names.add(spec.name())) sa.problem("name", "\"" + spec.name() + "\" names two SAs");
            if (!spec.outbound() && !inboundSpis.add(spec.spi())) sa.problem("spi", "two inbound SAs with SPI " + spec.spiText());
            sas.add(spec);
        }
        return new EspSpec(keyFile, window, sas);
    }

    private static SaSpec readSa(ConfigReader sa, Map<Integer, byte[]> keys, Path keyFile) {
        sa.rejectUnknownKeys(SA_KEYS);
        String direction = sa.oneOf("direction", List.of("in", "out"));
        boolean outbound = direction.equals("out");
        Integer spi = null;
        if (!sa.has("spi")) {
            sa.problem("spi", "missing; expected hex like \"0x00001001\" or a decimal number");
        } else {
            try {
                spi = KeyFile.parseSpi(sa.user().getValue("spi").unwrapped().toString());
            } catch (IllegalArgumentException e) {
                sa.problem("spi", e.getMessage());
            }
        }
        EspAlgorithm algorithm = null;
        String keyword = sa.string("algorithm");
        if (!keyword.isEmpty()) {
            try {
                algorithm = EspAlgorithm.fromKeyword(keyword);
            } catch (IllegalArgumentException e) {
                sa.problem("algorithm", e.getMessage());
            }
        }
        boolean esn = sa.has("esn") && sa.bool("esn");
        InetSocketAddress peer = null;
        Ipv4Prefix selector = null;
        int careOf = 0;
        if (outbound) {
            if (sa.has("care-of")) {
                try {
                    careOf = Ipv4Prefix.parseAddress(sa.string("care-of"));
                    if (careOf == 0) throw new IllegalArgumentException("0.0.0.0 is no tunnel address");
                } catch (IllegalArgumentException e) {
                    sa.problem("care-of", e.getMessage() + "; expected the tunnel address this gateway gives us, e.g. \"10.100.1.5\"");
                }
            }
            peer = endpoint(sa, "peer");
            selector = Ipv4Prefix.parse("0.0.0.0/0");
            if (sa.has("traffic-selector")) {
                try {
                    selector = Ipv4Prefix.parse(sa.string("traffic-selector")).network();
                } catch (IllegalArgumentException e) {
                    sa.problem("traffic-selector", e.getMessage() + "; expected a prefix such as 10.9.0.0/24");
                }
            }
        } else {
            for (String k : List.of("peer", "traffic-selector", "care-of")) {
                if (sa.userHas(k)) sa.problem(k, "only outbound SAs have a " + k);
            }
        }
        if (spi == null || algorithm == null || direction.isEmpty()) return null;
        byte[] key = keys.get(spi);
        String spiText = String.format("0x%08x", spi);
        if (key == null) {
            if (keyFile != null) sa.problem("spi", "no key for SPI " + spiText + " in " + keyFile);
            return null;
        }
        if (key.length != algorithm.keyMaterialLength()) {
            sa.problem("algorithm", algorithm.keyword() + " takes " + algorithm.keyMaterialLength() + " bytes of key material (key || salt) but "
                    + keyFile + " has " + key.length + " for SPI " + spiText);
            return null;
        }
        String name = sa.has("name") ? sa.string("name") : direction + "-" + spiText;
        return new SaSpec(name, outbound, spi, algorithm, esn, peer, selector, careOf, Arrays.copyOf(key, key.length));
    }

    /** "a.b.c.d:port" as a socket address. */
    static InetSocketAddress endpoint(ConfigReader r, String key) {
        if (!r.has(key)) {
            r.problem(key, "missing; expected \"a.b.c.d:port\", e.g. \"10.1.0.2:4500\"");
            return null;
        }
        String text = r.string(key);
        int colon = text.lastIndexOf(':');
        try {
            if (colon < 0) throw new IllegalArgumentException("no port");
            int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " out of range");
            byte[] addr = ByteBuffer.allocate(4).putInt(Ipv4Prefix.parseAddress(text.substring(0, colon))).array();
            return new InetSocketAddress(InetAddress.getByAddress(addr), port);
        } catch (IllegalArgumentException | UnknownHostException e) {
            r.problem(key, "\"" + text + "\" is not an endpoint (" + e.getMessage() + "); expected \"a.b.c.d:port\", e.g. \"10.1.0.2:4500\"");
            return null;
        }
    }
}
