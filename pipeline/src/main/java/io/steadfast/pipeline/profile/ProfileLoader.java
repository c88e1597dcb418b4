package io.steadfast.pipeline.profile;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.steadfast.pipeline.config.ConfigReader;
import io.steadfast.pipeline.config.Ipv4Prefix;
import io.steadfast.pipeline.config.Problem;
import io.steadfast.pipeline.config.ProfileException;
import io.steadfast.pipeline.config.Problems;
import io.steadfast.pipeline.stages.Need;
import io.steadfast.pipeline.stages.StageFactory;
import io.steadfast.pipeline.stages.StageRecipe;
import io.steadfast.pipeline.stages.StageRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.inject.Inject;

/**
 * Reads a profile file and checks all of it: syntax, required keys, types, addresses, durations, stage
 * names and stage options. Every problem is collected, so one run reports them all with file:line and
 * key; nothing is started.
 *
 * <pre>{@code
 * Profile p = new ProfileLoader(registry).load(Path.of("examples/gateway.conf"));
 * }</pre>
 */
public final class ProfileLoader {
    /** Where packets of a pipeline may come from. */
    public static final List<String> SOURCES = List.of("tun", "udp");

    private static final Set<String> ROOT_KEYS = Set.of("kind", "name", "transport", "tun", "udp", "esp", "relay", "failover", "ike", "control", "peers", "pipelines", "stages");
    private static final Set<String> UDP_KEYS = Set.of("address", "port", "receive-buffer", "send-buffer", "gro");
    private static final Set<String> TUN_KEYS = Set.of("name", "mtu", "txqueuelen", "addresses", "routes", "offload");
    private static final Set<String> PIPELINE_KEYS = Set.of("source", "stages");

    private final StageRegistry registry;
    private final Config reference;

    @Inject
    public ProfileLoader(StageRegistry registry) {
        this(registry, ConfigFactory.defaultReference());
    }

    ProfileLoader(StageRegistry registry, Config reference) {
        this.registry = registry;
        this.reference = reference;
    }

    /** Reads and checks {@code file}; throws with every problem found. */
    public Profile load(Path file) throws ProfileException {
        Problems problems = new Problems();
        String shown = file.toString();
        if (!Files.isRegularFile(file)) {
            problems.add(new Problem(shown, -1, null, Files.exists(file) ? "not a regular file" : "no such file"));
            problems.throwIfAny();
        }
        Config user;
        try {
            Config parsed = ConfigFactory.parseFile(file.toFile(),
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
            user = parsed.resolveWith(parsed.withFallback(reference), ConfigResolveOptions.defaults());
        } catch (ConfigException e) {
            problems.add(e.origin(), null, stripOrigin(e));
            throw new ProfileException(problems.list());
        }
        if (!user.hasPath("steadfast") || user.getValue("steadfast").valueType() != ConfigValueType.OBJECT) {
            problems.add(new Problem(shown, 1, "steadfast", "missing; a profile is an object under a 'steadfast' root: steadfast { kind = client ... }"));
            problems.throwIfAny();
        }
        ConfigReader root = new ConfigReader(user.getConfig("steadfast"), reference.getConfig("steadfast"),
                "steadfast", user.getValue("steadfast").origin(), problems);
        Profile profile = read(file, root);
        problems.throwIfAny();
        return profile;
    }

    private Profile read(Path file, ConfigReader root) {
        root.rejectUnknownKeys(ROOT_KEYS);
        String kindText = root.oneOf("kind", Arrays.stream(Kind.values()).map(Kind::label).toList());
        Kind kind = kindText.isEmpty() ? null : Kind.valueOf(kindText.toUpperCase(Locale.ROOT));
        String name = root.has("name") ? root.string("name") : (kind == null ? "steadfast" : kind.label());
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}")) {
            root.problem("name", "\"" + name + "\" is not a usable name; expected 1 to 32 letters, digits, '.', '_' or '-'");
        }
        String transportText = root.oneOf("transport", Arrays.stream(Transport.values()).map(Transport::label).toList());
        Transport transport = transportText.isEmpty() ? Transport.AUTO
                : Transport.valueOf(transportText.toUpperCase(Locale.ROOT));
        TunSpec tun = readTun(root.child("tun"), kind);
        ConfigReader control = root.child("control");
        control.rejectUnknownKeys(Set.of("socket"));
        String socket = control.string("socket");
        Path controlSocket = socket.isEmpty() ? Path.of("/run/steadfast", name + ".sock") : Path.of(socket);
        root.list("peers", false); // checked by the issues that give peers a meaning; must be a list
        UdpSpec udp = readUdp(root.child("udp"));
        EspSpec esp = EspReader.read(file, root.child("esp"));
        RelaySpec relay = withCareOfFromEsp(RelayReader.read(file, kind, tun, root.child("relay")), esp);
        IkeSpec ike = IkeReader.read(file, root.child("ike"));
        FailoverSpec failover = FailoverReader.read(root.child("failover"), esp, tun, ike);
        List<PipelineSpec> pipelines = readPipelines(root);
        checkNeeds(root, pipelines, esp, relay, failover, ike);
        return new Profile(file, kind, name, transport, tun, controlSocket, udp, esp, relay, failover, ike, pipelines);
    }

    private static UdpSpec readUdp(ConfigReader udp) {
        udp.rejectUnknownKeys(UDP_KEYS);
        String address = udp.string("address");
        int port = udp.intInRange("port", 0, 65535);
        int rcv = bytes(udp, "receive-buffer");
        int snd = bytes(udp, "send-buffer");
        java.net.InetSocketAddress local = null;
        try {
            local = new java.net.InetSocketAddress(java.net.InetAddress.getByAddress(
                    java.nio.ByteBuffer.allocate(4).putInt(Ipv4Prefix.parseAddress(address)).array()), port);
        } catch (IllegalArgumentException | java.net.UnknownHostException e) {
            udp.problem("address", e.getMessage() + "; expected an IPv4 address such as 0.0.0.0");
        }
        return new UdpSpec(local, rcv, snd, udp.bool("gro"));
    }

    private static int bytes(ConfigReader r, String key) {
        try {
            long v = (r.userHas(key) ? r.user() : r.defaults()).getBytes(key);
            if (v < 4096 || v > 1L << 30) r.problem(key, v + " bytes is out of range; expected 4k to 1g");
            return (int) v;
        } catch (ConfigException e) {
            r.problem(key, "expected a size such as 4m or 262144");
            return 0;
        }
    }

    /** A client's first V, if {@code relay.care-of} is not set: the care-of of the first outbound SA that has one. */
    private static RelaySpec withCareOfFromEsp(RelaySpec relay, EspSpec esp) {
        if (relay.self() == null || relay.careOf() != 0) return relay;
        int careOf = esp.outbound().stream().mapToInt(SaSpec::careOf).filter(v -> v != 0).findFirst().orElse(0);
        return careOf == 0 ? relay : new RelaySpec(relay.address(), relay.serves(), relay.clients(), relay.self(), careOf, relay.lifetime());
    }

    /** Every stage's needs are met: SAs exist for ESP stages, relay settings for relay stages, and so on. */
    private static void checkNeeds(ConfigReader root, List<PipelineSpec> pipelines, EspSpec esp, RelaySpec relay, FailoverSpec failover,
                                   IkeSpec ike) {
        for (PipelineSpec p : pipelines) {
            List<String> names = p.stages().stream().map(StageSpec::stage).toList();
            String at = "pipelines." + com.typesafe.config.ConfigUtil.joinPath(p.name()) + ".stages";
            if (names.contains("failover-controller") && !(names.contains("probe-injector") && names.contains("esp-encrypt"))) {
                root.problem(at, "failover-controller acts through probe-injector and esp-encrypt: both must be in its pipeline");
            }
            for (String stage : List.of("ike", "ike-responder")) {
                if (names.contains(stage) && (!p.source().equals("udp") || !names.contains("esp-decrypt")
                        || names.indexOf("esp-decrypt") < names.indexOf(stage))) {
                    root.problem(at, stage + " takes the IKE messages of the UDP socket and puts its SAs into esp-decrypt: it belongs "
                            + "in the udp pipeline, after udp-recv and before esp-decrypt");
                }
            }
            if (names.contains("inbound-monitor") && (!names.contains("esp-decrypt")
                    || names.indexOf("esp-decrypt") > names.indexOf("inbound-monitor"))) {
                root.problem(at, "inbound-monitor watches esp-decrypt: it must come after esp-decrypt in the same pipeline");
            }
            for (int i = 0; i < p.stages().size(); i++) {
                StageSpec stage = p.stages().get(i);
                for (Need need : stage.needs()) {
                    boolean met = switch (need) {
                        case UDP_SOCKET -> true;
                        case OUTBOUND_SA -> !esp.outbound().isEmpty() || ike.configured() || ike.responder() != null;
                        case INBOUND_SA -> !esp.inbound().isEmpty() || ike.configured() || ike.responder() != null;
                        case IKE -> ike.configured();
                        case IKE_RESPONDER -> ike.responder() != null;
                        case RELAY_CLIENT -> relay.self() != null;
                        case RELAY_SERVER -> relay.configured() && relay.self() == null;
                        case FAILOVER -> failover.configured();
                    };
                    if (!met) {
                        root.problem("pipelines." + com.typesafe.config.ConfigUtil.joinPath(p.name()) + ".stages",
                                "stage " + stage.handlerName() + " needs " + need.description());
                    }
                }
            }
        }
    }

    /** MTU of gateway and relay TUNs unless set: a client's 1400-byte packet plus the relay's 20-byte IP-in-IP header. */
    static final int RELAY_PATH_MTU = 1420;
    /**
     * A relay's default TUN queue: its TUN gets every client's IP-in-IP packets one by one (TUN offloads have no
     * super-packets for IP-in-IP), in bursts of a whole decrypted super-packet per client; 1000 overflowed at
     * 700 Mbit/s on a busy 2-CPU machine (sf-r.tx_dropped), each drop costing a TCP sender half its window.
     */
    static final int RELAY_TXQUEUELEN = 5000;

    private static TunSpec readTun(ConfigReader tun, Kind kind) {
        tun.rejectUnknownKeys(TUN_KEYS);
        String name = tun.string("name");
        if (!name.matches("[A-Za-z0-9_.-]{1,15}")) {
            tun.problem("name", "\"" + name + "\" is not a usable interface name; expected 1 to 15 letters, digits, '.', '_' or '-'");
        }
        int mtu = tun.intInRange("mtu", 576, 65535);
        if (!tun.userHas("mtu") && (kind == Kind.GATEWAY || kind == Kind.RELAY)) mtu = RELAY_PATH_MTU;
        int txqueuelen = tun.intInRange("txqueuelen", 1, 1_000_000);
        if (!tun.userHas("txqueuelen") && kind == Kind.RELAY) txqueuelen = RELAY_TXQUEUELEN;
        return new TunSpec(name, mtu, txqueuelen, prefixes(tun, "addresses"), prefixes(tun, "routes"), tun.bool("offload"));
    }

    private static List<Ipv4Prefix> prefixes(ConfigReader reader, String key) {
        List<Ipv4Prefix> out = new ArrayList<>();
        List<ConfigValue> values = reader.list(key, false);
        for (int i = 0; i < values.size(); i++) {
            ConfigValue v = values.get(i);
            String at = reader.path(key) + "[" + i + "]";
            if (v.valueType() != ConfigValueType.STRING) {
                reader.problems().add(v.origin(), at, "expected an IPv4 prefix such as \"10.9.0.1/24\", found " + ConfigReader.describe(v));
                continue;
            }
            try {
                out.add(Ipv4Prefix.parse((String) v.unwrapped()));
            } catch (IllegalArgumentException e) {
                reader.problems().add(v.origin(), at, e.getMessage() + "; expected an IPv4 prefix such as \"10.9.0.1/24\"");
            }
        }
        return out;
    }

    private List<PipelineSpec> readPipelines(ConfigReader root) {
        List<PipelineSpec> out = new ArrayList<>();
        ConfigReader all = root.child("pipelines");
        if (all.user().root().isEmpty()) {
            if (root.userHas("pipelines")) root.problem("pipelines", "empty; expected at least one pipeline, e.g. tun-in { source = tun, stages = [tun-read, tun-write] }");
            else root.problem("pipelines", "missing; expected at least one pipeline, e.g. pipelines { tun-in { source = tun, stages = [tun-read, tun-write] } }");
            return out;
        }
        Set<String> sourcesUsed = new HashSet<>();
        // HOCON objects are unordered: keep the order in which the file writes them.
        List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(all.user().root().entrySet());
        entries.sort(java.util.Comparator.comparingInt(e -> e.getValue().origin().lineNumber()));
        for (Map.Entry<String, ConfigValue> e : entries) {
            String pipelineName = e.getKey();
            ConfigReader p = all.child(com.typesafe.config.ConfigUtil.joinPath(pipelineName));
            p.rejectUnknownKeys(PIPELINE_KEYS);
            String source = p.oneOf("source", SOURCES);
            if (!source.isEmpty() && !sourcesUsed.add(source)) {
                p.problem("source", "another pipeline already reads from " + source + "; each source feeds one pipeline");
            }
            out.add(new PipelineSpec(pipelineName, source, readStages(root, p)));
        }
        return out;
    }

    private List<StageSpec> readStages(ConfigReader root, ConfigReader pipeline) {
        List<StageSpec> stages = new ArrayList<>();
        List<ConfigValue> elements = pipeline.list("stages", true);
        if (elements.isEmpty() && pipeline.has("stages")) {
            pipeline.problem("stages", "empty; expected at least one stage");
        }
        Set<String> handlerNames = new HashSet<>();
        for (int i = 0; i < elements.size(); i++) {
            ConfigValue element = elements.get(i);
            String at = pipeline.path("stages") + "[" + i + "]";
            StageSpec spec = readStage(root, element, at);
            if (spec == null) continue;
            if (!handlerNames.add(spec.handlerName())) {
                pipeline.problems().add(element.origin(), at, "\"" + spec.handlerName()
                        + "\" appears twice in this pipeline; name one of them: { stage = " + spec.stage() + ", as = "
                        + spec.handlerName() + "-2 }");
                continue;
            }
            stages.add(spec);
        }
        return stages;
    }

    private StageSpec readStage(ConfigReader root, ConfigValue element, String at) {
        Problems problems = root.problems();
        String stage;
        String handlerName;
        ConfigObject userOptions;
        if (element.valueType() == ConfigValueType.STRING) {
            stage = (String) element.unwrapped();
            handlerName = stage;
            userOptions = ConfigFactory.empty(element.origin().description()).root().withOrigin(element.origin());
        } else if (element.valueType() == ConfigValueType.OBJECT) {
            userOptions = (ConfigObject) element;
            ConfigValue stageValue = userOptions.get("stage");
            if (stageValue == null || stageValue.valueType() != ConfigValueType.STRING) {
                problems.add(element.origin(), at + ".stage", "missing; a stage object names its stage: { stage = loss, probability = 0.1 }");
                return null;
            }
            stage = (String) stageValue.unwrapped();
            ConfigValue as = userOptions.get("as");
            handlerName = as != null && as.valueType() == ConfigValueType.STRING ? (String) as.unwrapped() : stage;
            userOptions = userOptions.withoutKey("stage").withoutKey("as");
        } else {
            problems.add(element.origin(), at, "expected a stage name or { stage = NAME, option = value ... }, found "
                    + ConfigReader.describe(element));
            return null;
        }
        StageFactory factory = registry.find(stage).orElse(null);
        if (factory == null) {
            problems.add(element.origin(), at, "unknown stage \"" + stage + "\"; known stages: "
                    + String.join(", ", registry.all().keySet()));
            return null;
        }
        String defaultsPath = "stages." + com.typesafe.config.ConfigUtil.joinPath(stage);
        Config defaults = root.has(defaultsPath) ? root.user().withFallback(root.defaults()).getConfig(defaultsPath)
                : ConfigFactory.empty();
        ConfigReader options = root.reader(userOptions, defaults, at);
        options.rejectUnknownKeys(withNameKeys(factory.optionKeys()));
        StageRecipe recipe = factory.configure(options);
        return new StageSpec(stage, handlerName, recipe, factory.needs());
    }

    private static Set<String> withNameKeys(Set<String> keys) {
        Set<String> all = new HashSet<>(keys);
        all.add("stage");
        all.add("as");
        return all;
    }

    private static String stripOrigin(ConfigException e) {
        String m = e.getMessage();
        if (e.origin() != null) {
            String d = e.origin().description() + ": ";
            if (m.startsWith(d)) return m.substring(d.length());
        }
        return m;
    }
}
