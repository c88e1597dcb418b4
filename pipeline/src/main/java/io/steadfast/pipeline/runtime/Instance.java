package io.steadfast.pipeline.runtime;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.steadfast.esp.SecurityAssociation;
import io.steadfast.handlers.esp.EspDecryptHandler.InboundSa;
import io.steadfast.handlers.esp.OutboundSa;
import io.steadfast.handlers.stage.ControllableStage;
import io.steadfast.handlers.failover.FailoverController;
import io.steadfast.handlers.stage.CountingStage;
import io.steadfast.handlers.stage.DescribedStage;
import io.steadfast.handlers.stage.IoErrorCounter;
import io.steadfast.handlers.tun.TunChannel;
import io.steadfast.handlers.tun.TunDevice;
import io.steadfast.handlers.tun.TunInterface;
import io.steadfast.pipeline.config.Ipv4Prefix;
import io.steadfast.pipeline.profile.FailoverSpec;
import io.steadfast.pipeline.profile.PipelineSpec;
import io.steadfast.pipeline.profile.Profile;
import io.steadfast.pipeline.profile.SaSpec;
import io.steadfast.pipeline.profile.StageSpec;
import io.steadfast.pipeline.profile.Transport;
import io.steadfast.pipeline.stages.StageEnvironment;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running profile: one event loop, the TUN device, the UDP socket when a stage needs it, the SAs and the
 * pipelines built from the profile. Everything it changes on the host (the TUN device with its addresses
 * and routes) is undone by {@link #close()}, and by a failed {@link #start}; SA keys are zeroed.
 *
 * <pre>{@code
 * try (Instance instance = Instance.start(profile)) {
 *     instance.closeFuture().await();
 * }
 * }</pre>
 */
public final class Instance implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Instance.class);

    private static final String IO_ERRORS = "io-errors";
    private final Profile profile;
    private final Transport transport;
    private final EventLoopGroup group;
    private final TunChannel tun;
    private final List<SecurityAssociation> sas = new ArrayList<>();
    private final Instant started = Instant.now();
    private DatagramChannel udp;
    private DatagramChannel ikePort; // UDP 500 of a gateway's ike-responder, or null
    private io.steadfast.relay.RelayClient relayClient;
    private io.steadfast.relay.RelayServer relayServer;
    private FailoverController failover;
    private boolean outboundTaken;
    private boolean inboundTaken;

    private Instance(Profile profile, Transport transport, EventLoopGroup group, TunChannel tun) {
        this.profile = profile;
        this.transport = transport;
        this.group = group;
        this.tun = tun;
    }

    /** Opens the TUN device and the UDP socket, builds the pipelines and starts reading. */
    public static Instance start(Profile profile) throws IOException, InterruptedException {
        Transport transport = Transports.resolve(profile.transport());
        LOG.info("steadfast {} '{}' from {}: transport {}{}", profile.kind().label(), profile.name(), profile.file(),
                transport.label(), profile.transport() == Transport.AUTO ? " (auto)" : "");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, Transports.factory(transport));
        TunDevice device = null;
        try {
            device = TunDevice.open(profile.tun().name(), profile.tun().offload());
            // Room for a packet of the full MTU (a longer read is dropped and counted as rx.truncated).
            int maxPacket = Math.max(TunChannel.DEFAULT_MAX_PACKET_SIZE, profile.tun().mtu());
            TunChannel tun = new TunChannel(device, maxPacket, TunChannel.DEFAULT_MAX_PACKETS_PER_READ);
            device = null; // the channel owns it now
            Instance instance = new Instance(profile, transport, group, tun);
            instance.configureAndRegister();
            return instance;
        } catch (IOException | RuntimeException | InterruptedException e) {
            if (device != null) device.close();
            group.shutdownGracefully(100, 1000, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    private void configureAndRegister() throws IOException, InterruptedException {
        try {
            TunInterface.configure(tun.device().name(), profile.tun().mtu(), profile.tun().txQueueLength(),
                    profile.tun().addresses().stream().map(Ipv4Prefix::toString).toList(),
                    profile.tun().routes().stream().map(p -> p.network().toString()).toList());
            for (SaSpec sa : profile.esp().sas()) LOG.info("SA {}", sa);
            if (profile.needsUdp()) udp = Transports.datagramChannel(transport);
            for (PipelineSpec spec : profile.pipelines()) {
                PipelineBuilder.build(spec, channelOf(spec).pipeline(), new Environment(spec.name()));
                LOG.info("pipeline {} (source {}): {}", spec.name(), spec.source(), spec.describe());
            }
            tun.pipeline().addLast(IO_ERRORS, new IoErrorCounter("tun " + profile.tun().name()));
            if (udp != null) udp.pipeline().addLast(IO_ERRORS, new IoErrorCounter("udp"));
            if (udp != null) {
                udp.config().setOption(ChannelOption.SO_RCVBUF, profile.udp().receiveBuffer());
                udp.config().setOption(ChannelOption.SO_SNDBUF, profile.udp().sendBuffer());
                // The longest datagram: ESP in UDP around a packet of the TUN's MTU (IV, trailer, ICV under 128 bytes), or an
                // unfragmented IKE message with certificates (8 KB).
                boolean gro = Transports.configureReads(udp, profile.udp().gro(), Math.max(8192, profile.tun().mtu() + 128));
                group.register(udp).sync();
                try {
                    udp.bind(profile.udp().local()).sync();
                } catch (Exception e) {
                    throw new IOException("cannot bind UDP " + profile.udp().local() + ": " + e.getMessage(), e);
                }
                LOG.info("udp {} bound, gro {}", udp.localAddress(), gro ? "on" : "off");
            }
            var responder = udp == null ? null : udp.pipeline().get(io.steadfast.handlers.ike.IkeResponderHandler.class);
            if (responder != null) ikePort = IkePort.open(group, transport, profile.udp().local(), responder);
            group.register(tun).sync();
            LOG.info("tun {} up: mtu {}, addresses {}, routes {}, offloads {}", tun.device().name(), profile.tun().mtu(),
                    profile.tun().addresses(), profile.tun().routes(), tun.device().offloads() ? "on" : "off");
        } catch (IOException | RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    private static IoErrorCounter ioErrors(Channel channel) {
        return (IoErrorCounter) channel.pipeline().get(IO_ERRORS);
    }

    private Channel channelOf(PipelineSpec spec) {
        return spec.source().equals("udp") ? udp : tun;
    }

    public Profile profile() {
        return profile;
    }

    /** Completes when the TUN channel closes. */
    public ChannelFuture closeFuture() {
        return tun.closeFuture();
    }

    /** A human-readable report of the instance: its TUN, its UDP socket and every stage's counters. */
    public String status() throws InterruptedException, ExecutionException, TimeoutException {
        return tun.eventLoop().submit(this::statusOnLoop).get(2, TimeUnit.SECONDS);
    }

    private String statusOnLoop() {
        StringBuilder s = new StringBuilder();
        s.append("steadfast ").append(profile.kind().label()).append(" '").append(profile.name()).append("'")
                .append(": transport ").append(transport.label())
                .append(", up ").append(Duration.between(started, Instant.now()).toSeconds()).append(" s")
                .append(", profile ").append(profile.file()).append('\n');
        s.append("tun ").append(tun.device().name()).append(": mtu ").append(profile.tun().mtu())
                .append(", addresses ").append(profile.tun().addresses()).append('\n');
        s.append("  ").append(format(tun.counters())).append(' ').append(format(ioErrors(tun).counters())).append('\n');
        if (udp != null) s.append("udp ").append(udp.localAddress()).append('\n').append("  ").append(format(ioErrors(udp).counters())).append('\n');
        if (ikePort != null) s.append("udp ").append(ikePort.localAddress()).append(" (IKE only)\n");
        for (SaSpec sa : profile.esp().sas()) s.append("sa ").append(sa).append('\n');
        if (relayServer != null) {
            s.append("bindings: ").append(relayServer.bindingCount()).append('\n');
            relayServer.snapshot().forEach(b -> s.append("  ").append(b).append('\n'));
        }
        for (PipelineSpec spec : profile.pipelines()) {
            s.append("pipeline ").append(spec.name()).append(" (source ").append(spec.source()).append("): ")
                    .append(spec.describe()).append('\n');
            for (StageSpec stage : spec.stages()) {
                ChannelHandler h = channelOf(spec).pipeline().get(stage.handlerName());
                s.append(String.format("  %-14s ", stage.handlerName()));
                if (h instanceof CountingStage counting) s.append(format(counting.counters()));
                s.append('\n');
                if (h instanceof DescribedStage described) described.describe().lines().forEach(l -> s.append("    ").append(l).append('\n'));
            }
        }
        return s.toString();
    }

    /** Sends {@code command} to a stage (e.g. {@code on} to a loss stage) and returns its answer. */
    public String control(String pipeline, String stage, String command)
            throws InterruptedException, ExecutionException, TimeoutException {
        PipelineSpec spec = profile.pipelines().stream().filter(p -> p.name().equals(pipeline)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no pipeline \"" + pipeline + "\"; pipelines: "
                        + profile.pipelines().stream().map(PipelineSpec::name).toList()));
        return tun.eventLoop().submit(() -> {
            ChannelHandler h = channelOf(spec).pipeline().get(stage);
            if (h == null) throw new IllegalArgumentException("no stage \"" + stage + "\" in pipeline " + spec.name() + ": " + spec.describe());
            if (!(h instanceof ControllableStage c)) throw new IllegalArgumentException("stage \"" + stage + "\" takes no commands");
            return c.control(command);
        }).get(2, TimeUnit.SECONDS);
    }

    private static String format(Map<String, Long> counters) {
        StringBuilder s = new StringBuilder();
        counters.forEach((k, v) -> s.append(k).append('=').append(v).append(' '));
        return s.toString().stripTrailing();
    }

    /** Closes the TUN (which removes the device, its addresses and routes) and the UDP socket, zeroes SA keys. */
    @Override
    public void close() {
        try {
            if (udp != null && udp.isRegistered()) udp.close().syncUninterruptibly(); // its DELETEs may use ikePort
            if (ikePort != null) ikePort.close().syncUninterruptibly();
            if (tun.isRegistered()) {
                tun.close().syncUninterruptibly();
            } else {
                tun.device().close(); // start failed before the channel reached its event loop
            }
        } catch (IOException e) {
            LOG.warn("closing tun {}: {}", tun.device().name(), e.getMessage());
        } finally {
            sas.forEach(SecurityAssociation::close);
            profile.esp().sas().forEach(sa -> java.util.Arrays.fill(sa.keyMaterial(), (byte) 0));
            // A non-zero quiet period: with 0, Netty 4.2.18 may exit the loop without closing registered handles.
            group.shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS).syncUninterruptibly();
            LOG.info("steadfast {} '{}' stopped; tun {} removed", profile.kind().label(), profile.name(), tun.device().name());
        }
    }

    private final class Environment implements StageEnvironment {
        private final String pipeline;

        Environment(String pipeline) {
            this.pipeline = pipeline;
        }

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
            return udp != null;
        }

        @Override
        public Channel udp() {
            if (udp == null) throw new IllegalStateException("no UDP socket");
            return udp;
        }

        @Override
        public io.steadfast.relay.RelayClient relayClient() {
            if (relayClient == null) relayClient = ProfileObjects.relayClient(profile);
            return relayClient;
        }

        @Override
        public List<io.steadfast.handlers.ike.IkeGateway> ikeGateways() {
            return profile.ike().gateways().stream().map(g -> {
                var ts = g.remoteTs().size() == 1 ? g.remoteTs().get(0) : new Ipv4Prefix(0, 0);
                return new io.steadfast.handlers.ike.IkeGateway(g.name(), g.address(), g.initiatorConfig(), ts.address(), ts.length());
            }).toList();
        }

        @Override
        public io.steadfast.ike.sa.IkeResponder ikeResponder() {
            var spec = profile.ike().responder();
            if (spec == null) throw new IllegalStateException("no IKE responder configured");
            return new io.steadfast.ike.sa.IkeResponder(spec.responderConfig(), profile.udp().local(), new java.security.SecureRandom(),
                    System.nanoTime());
        }

        @Override
        public int probeTarget() {
            return profile.failover().probeTarget();
        }

        @Override
        public FailoverController failover() {
            if (failover == null) {
                failover = ProfileObjects.failover(profile);
                FailoverSpec spec = profile.failover();
                LOG.info("failover: gateways {}, probe {} every {} ms, F {} ms{}", spec.gateways().stream().map(FailoverSpec.GatewaySpec::name).toList(),
                        io.steadfast.handlers.ip.Ipv4.toString(spec.probeTarget()), spec.settings().probeInterval().toMillis(),
                        failover.detectionNanos() / 1_000_000,
                        spec.settings().allowedOutage() != null ? " (allowed outage " + spec.settings().allowedOutage().toMillis()
                                + " ms minus the switch time, estimated " + spec.settings().switchEstimate().toMillis() + " ms until measured)" : "");
            }
            return failover;
        }

        @Override
        public io.steadfast.relay.RelayServer relayServer() {
            if (relayServer == null) relayServer = ProfileObjects.relayServer(profile);
            return relayServer;
        }

        /** Each SA is handed out once: two encryptors with one key would reuse nonces. */
        @Override
        public List<OutboundSa> outboundSas() {
            if (outboundTaken) throw new IllegalStateException("the outbound SAs are already used by another esp-encrypt stage");
            outboundTaken = true;
            return ProfileObjects.outboundSas(profile, sas::add);
        }

        @Override
        public List<InboundSa> inboundSas() {
            if (inboundTaken) throw new IllegalStateException("the inbound SAs are already used by another esp-decrypt stage");
            inboundTaken = true;
            return ProfileObjects.inboundSas(profile, sas::add);
        }
    }
}
