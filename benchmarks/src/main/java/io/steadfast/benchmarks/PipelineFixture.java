package io.steadfast.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.steadfast.esp.EspEncryptor;
import io.steadfast.esp.Lifetime;
import io.steadfast.esp.SecurityAssociation;
import io.steadfast.handlers.esp.EspDecryptHandler.InboundSa;
import io.steadfast.handlers.esp.OutboundSa;
import io.steadfast.handlers.failover.FailoverController;
import io.steadfast.pipeline.SteadfastComponent;
import io.steadfast.pipeline.config.ProfileException;
import io.steadfast.pipeline.profile.PipelineSpec;
import io.steadfast.pipeline.profile.Profile;
import io.steadfast.pipeline.profile.StageSpec;
import io.steadfast.pipeline.runtime.PipelineBuilder;
import io.steadfast.pipeline.runtime.ProfileObjects;
import io.steadfast.pipeline.stages.StageEnvironment;
import io.steadfast.relay.Ipv4;
import io.steadfast.relay.RelayClient;
import io.steadfast.relay.RelayServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * The pipelines of the product on {@link EmbeddedChannel}s, for the pipeline benchmarks: a client profile with
 * relay and failover and a relay profile (written to a temporary directory with their key files) are read by the
 * product's profile loader and built by its {@link PipelineBuilder} from the stage registry, so every stage is made
 * exactly as {@code steadfast client} and {@code steadfast relay} make it. The TUN and the UDP socket that stages
 * write to are {@link #sinkChannel sink channels} that release what they are given.
 */
final class PipelineFixture implements StageEnvironment {
    static final int SPARE_ROOM = 64; // as TunChannel.SPARE_ROOM
    static final int STABLE = Ipv4.parse("10.9.0.1");       // S
    static final int SERVER = Ipv4.parse("10.2.0.10");
    static final int PROBE_TARGET = Ipv4.parse("10.2.0.2");  // P
    static final int RELAY = Ipv4.parse("10.20.0.2");        // R
    static final int CARE_OF_A = Ipv4.parse("10.100.1.5");   // V through gateway A
    static final int CLIENT_ID = 7;
    /** Inbound SA of the client from gateway A: the gateway seals with it. */
    static final int SPI_FROM_A = 0x2001;
    static final byte[] RELAY_KEY = EspBenchmark.bytes(32, 7);
    /** Messages of the type-pollution warm-up. */
    static final int POLLUTION = 20_000;

    /** The client's outbound stages, in the order of README's failover profile. */
    static final List<String> CLIENT_OUTBOUND = List.of("tun-read", "ipip-encap", "relay-client", "probe-injector",
            "failover-controller", "esp-encrypt", "udp-send");
    static final List<String> CLIENT_INBOUND = List.of("udp-recv", "esp-decrypt", "inbound-monitor", "ipip-decap", "tun-write");
    static final List<String> RELAY_CLOUD = List.of("tun-read", "relay-server", "tun-write");

    private final Profile profile;
    private final EmbeddedChannel tun = sinkChannel();
    private final EmbeddedChannel udp = sinkChannel();
    private String pipeline;
    private RelayClient relayClient;
    private RelayServer relayServer;
    private FailoverController failover;

    private PipelineFixture(Profile profile) {
        this.profile = profile;
    }

    /** A client with relay and two gateways (failover), its pipelines cut after the stages named. */
    static PipelineFixture client(List<String> outbound, List<String> inbound) {
        String esp = """
                0x00001001 %s
                0x00003001 %s
                0x00002001 %s
                0x00004001 %s
                """.formatted(espKey(0x1001), espKey(0x3001), espKey(SPI_FROM_A), espKey(0x4001));
        return load("client", """
                steadfast {
                  kind = client
                  name = bench-client
                  tun { name = sf-bench, addresses = ["10.9.0.1/32"], routes = ["10.2.0.0/24"] }
                  udp { address = "0.0.0.0", port = 4500 }
                  esp {
                    key-file = "esp.keys"
                    security-associations = [
                      { name = to-a, direction = out, spi = "0x00001001", algorithm = aes128gcm16, peer = "10.1.0.2:4500", care-of = "10.100.1.5" }
                      { name = to-b, direction = out, spi = "0x00003001", algorithm = aes128gcm16, peer = "10.4.0.2:4500", care-of = "10.100.2.5" }
                      { name = from-a, direction = in, spi = "0x00002001", algorithm = aes128gcm16 }
                      { name = from-b, direction = in, spi = "0x00004001", algorithm = aes128gcm16 }
                    ]
                  }
                  relay { address = "10.20.0.2", client-id = 7, key-file = "relay.keys" }
                  failover {
                    probe-target = "10.2.0.2"
                    gateways = [
                      { name = gw-a, outbound-sa = to-a, inbound-sa = from-a }
                      { name = gw-b, outbound-sa = to-b, inbound-sa = from-b }
                    ]
                  }
                  pipelines {
                    %s
                  }
                }
                """.formatted(pipelines("outbound", "tun", outbound) + pipelines("inbound", "udp", inbound)), esp);
    }

    /** The relay of examples/relay.conf serving 10.9.0.0/16, with S bound to V_A. */
    static PipelineFixture relay() {
        PipelineFixture f = load("relay", """
                steadfast {
                  kind = relay
                  name = bench-relay
                  tun { name = sfrelay0, mtu = 1480, routes = ["10.20.0.2/32", "10.9.0.0/16"] }
                  relay { address = "10.20.0.2", serves = ["10.9.0.0/16"], key-file = "relay.keys" }
                  pipelines {
                    %s
                  }
                }
                """.formatted(pipelines("cloud", "tun", RELAY_CLOUD)), "");
        byte[] update = new io.steadfast.relay.BindingCodec().encodeUpdate(RELAY_KEY, CLIENT_ID, 1, STABLE, CARE_OF_A, 3600);
        ByteBuf payload = io.netty.buffer.Unpooled.wrappedBuffer(update);
        try {
            if (!f.relayServer().handleUpdate(payload, CARE_OF_A, System.nanoTime()).accepted()) {
                throw new IllegalStateException("the relay refused the binding S -> V_A");
            }
        } finally {
            payload.release();
        }
        return f;
    }

    private static String pipelines(String name, String source, List<String> stages) {
        return stages.isEmpty() ? "" : name + " { source = " + source + ", stages = [" + String.join(", ", stages) + "] }\n";
    }

    static String espKey(int spi) {
        return "0x" + HexFormat.of().formatHex(EspBenchmark.bytes(20, spi));
    }

    private static PipelineFixture load(String name, String text, String espKeys) {
        try {
            Path dir = Files.createTempDirectory("steadfast-bench");
            dir.toFile().deleteOnExit();
            var owner = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
            for (String[] file : new String[][] {{"esp.keys", espKeys},
                    {"relay.keys", CLIENT_ID + " 10.9.0.1 0x" + HexFormat.of().formatHex(RELAY_KEY) + "\n"}, {name + ".conf", text}}) {
                Path p = Files.writeString(Files.createFile(dir.resolve(file[0]), owner), file[1]);
                p.toFile().deleteOnExit();
            }
            return new PipelineFixture(SteadfastComponent.create().profileLoader().load(dir.resolve(name + ".conf")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ProfileException e) {
            throw new IllegalStateException("benchmark profile refused: " + e.problems(), e);
        }
    }

    /**
     * A channel with pipeline {@code name} of the profile (none if the profile has none) and a {@link Sink} after
     * it; the stages' own start-up tasks (failover picks its SA, relay-client sends its first update) have run.
     */
    EmbeddedChannel build(String name, Sink sink) {
        EmbeddedChannel channel = new EmbeddedChannel();
        pipeline = name;
        for (PipelineSpec spec : profile.pipelines()) {
            if (spec.name().equals(name)) PipelineBuilder.build(spec, channel.pipeline(), this);
        }
        channel.pipeline().addLast("sink", sink);
        channel.runPendingTasks();
        return channel;
    }

    /** Stage names of pipeline {@code name}, in order. */
    List<String> stages(String name) {
        List<String> names = new ArrayList<>();
        for (PipelineSpec spec : profile.pipelines()) {
            if (spec.name().equals(name)) spec.stages().forEach((StageSpec s) -> names.add(s.handlerName()));
        }
        return names;
    }

    /** The channel the TUN stages write to (a sink). */
    EmbeddedChannel tunSink() {
        return tun;
    }

    /** The channel udp-send writes to (a sink). */
    EmbeddedChannel udpSink() {
        return udp;
    }

    /** An SA sealing as gateway A seals what it sends to the client (the client's inbound SA from-a). */
    static EspEncryptor gatewayA() {
        return new EspEncryptor(SecurityAssociation.outbound(SPI_FROM_A, io.steadfast.esp.EspAlgorithm.AES128GCM16,
                EspBenchmark.bytes(20, SPI_FROM_A), false, Lifetime.UNLIMITED));
    }

    /** {@code bytes} in a buffer of the channel's allocator with {@value #SPARE_ROOM} bytes around it, as TunChannel reads. */
    static ByteBuf tunPacket(Channel channel, byte[] bytes) {
        ByteBuf buf = channel.alloc().directBuffer(SPARE_ROOM + bytes.length + SPARE_ROOM);
        buf.writerIndex(SPARE_ROOM).readerIndex(SPARE_ROOM);
        return buf.writeBytes(bytes);
    }

    /** Fires {@code packets} into {@code pipeline}, a read-complete after every {@code batch} (one TSO read). */
    static void feed(ChannelPipeline pipeline, Object[] packets, int batch) {
        for (int i = 0; i < packets.length; i++) {
            pipeline.fireChannelRead(packets[i]);
            if ((i + 1) % batch == 0 || i == packets.length - 1) pipeline.fireChannelReadComplete();
        }
    }

    /**
     * The type-pollution warm-up of Netty's microbenchmarks: {@code messages} messages of {@code kinds} kinds (kind
     * {@code k} made by {@code message}, picked at random) in reads of 1 to 64, so the JIT compiles every stage for
     * the packet kinds, sizes and buffer classes production shows, not for the one kind measured.
     */
    static void pollute(EmbeddedChannel channel, long seed, int kinds, IntFunction<Object> message) {
        SplittableRandom random = new SplittableRandom(seed);
        int batch = 0;
        for (int i = 0; i < POLLUTION; i++) {
            channel.pipeline().fireChannelRead(message.apply(random.nextInt(kinds)));
            if (++batch >= 1 + random.nextInt(64)) {
                channel.pipeline().fireChannelReadComplete();
                batch = 0;
            }
        }
        channel.pipeline().fireChannelReadComplete();
        channel.pipeline().fireChannelRead("not a packet");
        channel.runPendingTasks();
    }

    /** A channel that counts and releases whatever is written to it, and ignores flushes. */
    static EmbeddedChannel sinkChannel() {
        return new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                ReferenceCountUtil.release(msg);
                promise.trySuccess();
            }

            @Override
            public void flush(ChannelHandlerContext ctx) {
            }
        });
    }

    /** The end of a benchmarked pipeline: counts and releases what reaches it. */
    static final class Sink extends ChannelInboundHandlerAdapter {
        long received;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            received++;
            ReferenceCountUtil.release(msg);
        }
    }

    // StageEnvironment: what Instance gives the stages, with sinks for the TUN and the UDP socket.

    @Override
    public Channel tun() {
        return tun;
    }

    @Override
    public String pipeline() {
        return pipeline;
    }

    @Override
    public boolean hasUdp() {
        return true;
    }

    @Override
    public Channel udp() {
        return udp;
    }

    @Override
    public RelayClient relayClient() {
        if (relayClient == null) relayClient = ProfileObjects.relayClient(profile);
        return relayClient;
    }

    @Override
    public RelayServer relayServer() {
        if (relayServer == null) relayServer = ProfileObjects.relayServer(profile);
        return relayServer;
    }

    @Override
    public FailoverController failover() {
        if (failover == null) failover = ProfileObjects.failover(profile);
        return failover;
    }

    @Override
    public int probeTarget() {
        return profile.failover().probeTarget();
    }

    @Override
    public List<OutboundSa> outboundSas() {
        return ProfileObjects.outboundSas(profile, sa -> { });
    }

    @Override
    public List<InboundSa> inboundSas() {
        return ProfileObjects.inboundSas(profile, sa -> { });
    }
}
