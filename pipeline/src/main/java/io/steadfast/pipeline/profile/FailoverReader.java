package io.steadfast.pipeline.profile;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.steadfast.handlers.failover.FailoverSettings;
import io.steadfast.pipeline.config.ConfigReader;
import io.steadfast.pipeline.config.Ipv4Prefix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads {@code steadfast.failover}: the probe target, the timers and the gateways by their static SAs. */
final class FailoverReader {
    private static final Set<String> KEYS = Set.of("probe-target", "probe-interval", "detection-period", "allowed-outage",
            "switch-estimate", "hold-down", "failback-after", "gateways");
    private static final Set<String> GATEWAY_KEYS = Set.of("name", "outbound-sa", "inbound-sa", "ike-gateway");

    private FailoverReader() {}

    static FailoverSpec read(ConfigReader failover, EspSpec esp, TunSpec tun, IkeSpec ike) {
        failover.rejectUnknownKeys(KEYS);
        List<ConfigValue> elements = failover.list("gateways", false);
        if (elements.isEmpty() && !failover.userHas("probe-target")) return FailoverSpec.NONE;
        int target = 0;
        if (!failover.has("probe-target")) {
            failover.problem("probe-target", "missing; expected P, an address in the cloud that answers pings, e.g. \"10.2.0.2\"");
        } else {
            try {
                target = Ipv4Prefix.parseAddress(failover.string("probe-target"));
            } catch (IllegalArgumentException e) {
                failover.problem("probe-target", e.getMessage());
            }
        }
        Duration probe = failover.duration("probe-interval", Duration.ofMillis(10));
        Duration f = failover.duration("detection-period", Duration.ofMillis(10));
        Duration a = failover.userHas("allowed-outage") ? failover.duration("allowed-outage", Duration.ofMillis(10)) : null;
        if (a != null && failover.userHas("detection-period")) {
            failover.problem("allowed-outage", "give either detection-period (F) or allowed-outage (A, F = A - C), not both");
        }
        FailoverSettings settings = new FailoverSettings(probe, f, a, failover.duration("switch-estimate", Duration.ZERO),
                failover.duration("hold-down", Duration.ZERO),
                failover.userHas("failback-after") ? failover.duration("failback-after", Duration.ZERO) : null);
        String problem = settings.problem();
        if (problem != null) failover.problem(a != null ? "allowed-outage" : "detection-period", problem);

        List<FailoverSpec.GatewaySpec> gateways = new ArrayList<>();
        Set<String> names = new HashSet<>();
        if (elements.isEmpty()) failover.problem("gateways", "missing; expected [{ name = gw-a, outbound-sa = to-a, inbound-sa = from-a }, ...]");
        for (int i = 0; i < elements.size(); i++) {
            ConfigValue v = elements.get(i);
            String at = failover.path("gateways") + "[" + i + "]";
            if (v.valueType() != ConfigValueType.OBJECT) {
                failover.problems().add(v.origin(), at, "expected a gateway { name = gw-a, outbound-sa = to-a, inbound-sa = from-a }");
                continue;
            }
            ConfigReader g = failover.reader((ConfigObject) v, com.typesafe.config.ConfigFactory.empty(), at);
            g.rejectUnknownKeys(GATEWAY_KEYS);
            if (g.has("ike-gateway")) {
                // An IKE gateway: its SAs are named after it (the inbound ones with their SPI), its V is the
                // virtual IP it assigns.
                String gw = g.string("ike-gateway");
                if (ike.gateways().stream().noneMatch(x -> x.name().equals(gw))) {
                    g.problem("ike-gateway", "no gateway named \"" + gw + "\" in steadfast.ike.gateways");
                }
                for (String k : List.of("outbound-sa", "inbound-sa")) {
                    if (g.userHas(k)) g.problem(k, "an IKE gateway's SAs are IKE's: give ike-gateway or the SAs, not both");
                }
                String name = g.has("name") ? g.string("name") : gw;
                if (!names.add(name)) g.problem("name", "\"" + name + "\" names two gateways");
                gateways.add(new FailoverSpec.GatewaySpec(name, gw, gw + ".in-*", 0));
                continue;
            }
            String out = g.string("outbound-sa");
            String in = g.string("inbound-sa");
            Optional<SaSpec> outSa = esp.outbound().stream().filter(s -> s.name().equals(out)).findFirst();
            if (!out.isEmpty() && outSa.isEmpty()) g.problem("outbound-sa", "no outbound SA named \"" + out + "\" in steadfast.esp");
            if (!in.isEmpty() && esp.inbound().stream().noneMatch(s -> s.name().equals(in))) {
                g.problem("inbound-sa", "no inbound SA named \"" + in + "\" in steadfast.esp");
            }
            String name = g.has("name") ? g.string("name") : out;
            if (!names.add(name)) g.problem("name", "\"" + name + "\" names two gateways");
            int careOf = outSa.map(SaSpec::careOf).orElse(0);
            if (careOf == 0 && !tun.addresses().isEmpty()) careOf = tun.addresses().get(0).address();
            gateways.add(new FailoverSpec.GatewaySpec(name, out, in, careOf));
        }
        return new FailoverSpec(target, settings, gateways);
    }
}
