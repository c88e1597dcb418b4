package io.steadfast.pipeline.stages;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.IntoMap;
import dagger.multibindings.StringKey;
import io.steadfast.handlers.basic.DiscardHandler;
import io.steadfast.handlers.basic.IcmpEchoHandler;
import io.steadfast.handlers.basic.PassThroughHandler;
import io.steadfast.handlers.basic.TunReadHandler;
import io.steadfast.handlers.basic.TunWriteHandler;
import io.steadfast.handlers.esp.EspDecryptHandler;
import io.steadfast.handlers.esp.EspEncryptHandler;
import io.steadfast.handlers.failover.FailoverHandler;
import io.steadfast.handlers.failover.InboundMonitorHandler;
import io.steadfast.handlers.failover.ProbeInjectorHandler;
import io.steadfast.handlers.experiment.DelayHandler;
import io.steadfast.handlers.experiment.LossHandler;
import io.steadfast.handlers.experiment.PcapHandler;
import io.steadfast.handlers.ike.BackgroundWarmup;
import io.steadfast.handlers.relay.IpipDecapHandler;
import io.steadfast.handlers.relay.IpipEncapHandler;
import io.steadfast.handlers.relay.RelayClientHandler;
import io.steadfast.handlers.relay.RelayServerHandler;
import io.steadfast.handlers.udp.UdpReceiveHandler;
import io.steadfast.handlers.udp.UdpSendHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.Set;

/**
 * The stage registry: one map entry per stage name. A new stage is one {@code @Provides @IntoMap}
 * method here; its option defaults go under {@code steadfast.stages.<name>} in reference.conf.
 */
@Module
public interface StagesModule {

    @Provides @IntoMap @StringKey("tun-read")
    static StageFactory tunRead() {
        return StageFactory.of("first stage after the TUN: passes well-formed IPv4, counts IPv6 and forwards or drops it (ipv6 = forward|drop), drops malformed packets",
                Set.of("ipv6"), o -> {
                    TunReadHandler.Ipv6Policy policy = "forward".equals(o.oneOf("ipv6", java.util.List.of("drop", "forward")))
                            ? TunReadHandler.Ipv6Policy.FORWARD : TunReadHandler.Ipv6Policy.DROP;
                    return env -> new TunReadHandler(policy);
                });
    }

    @Provides @IntoMap @StringKey("tun-write")
    static StageFactory tunWrite() {
        return StageFactory.of("writes every packet to the TUN device (one flush per read batch)",
                Set.of(), o -> env -> new TunWriteHandler(env::tun));
    }

    @Provides @IntoMap @StringKey("icmp-echo")
    static StageFactory icmpEcho() {
        return StageFactory.of("turns ICMP echo requests into echo replies in place; other packets pass",
                Set.of(), o -> env -> new IcmpEchoHandler());
    }

    @Provides @IntoMap @StringKey("pass")
    static StageFactory pass() {
        return StageFactory.of("passes every packet on and counts it (a placeholder for experiments)",
                Set.of(), o -> env -> new PassThroughHandler());
    }

    @Provides @IntoMap @StringKey("discard")
    static StageFactory discard() {
        return StageFactory.of("drops and counts every packet",
                Set.of(), o -> env -> new DiscardHandler());
    }

    @Provides @IntoMap @StringKey("udp-recv")
    static StageFactory udpRecv() {
        return StageFactory.of("first stage of the UDP 4500 pipeline: passes ESP on, counts and drops NAT keepalives, IKE and garbage",
                Set.of(), o -> env -> new UdpReceiveHandler()).needing(Need.UDP_SOCKET);
    }

    @Provides @IntoMap @StringKey("udp-send")
    static StageFactory udpSend() {
        return StageFactory.of("writes ESP datagrams to the UDP socket (one flush per batch; runs of equal datagrams as one UDP GSO send); sends NAT keepalives to idle peers",
                Set.of("keepalive", "gso"), o -> {
                    Duration keepalive = o.duration("keepalive", Duration.ZERO);
                    boolean gso = o.bool("gso");
                    return env -> new UdpSendHandler(env::udp, keepalive, gso);
                }).needing(Need.UDP_SOCKET);
    }

    @Provides @IntoMap @StringKey("ike")
    static StageFactory ike() {
        return StageFactory.of("client, udp pipeline after udp-recv: IKEv2 with each gateway of steadfast.ike on the ESP socket; puts the Child SAs into esp-encrypt and esp-decrypt",
                Set.of("standby", "warmup", "rekey-packets"), o -> {
                    boolean cold = o.oneOf("standby", java.util.List.of("hot", "cold")).equals("cold");
                    boolean warmup = o.bool("warmup");
                    long rekeyPackets = o.intInRange("rekey-packets", 0, Integer.MAX_VALUE);
                    return env -> {
                        var gateways = env.ikeGateways();
                        if (warmup && !gateways.isEmpty()) {
                            BackgroundWarmup.startOnce(gateways.get(0).config().ikeProposals(), gateways.get(0).config().espProposals());
                        }
                        return new io.steadfast.handlers.ike.IkeHandler(gateways, env::tun, new java.security.SecureRandom(),
                                System::nanoTime, cold).rekeyPackets(rekeyPackets);
                    };
                }).needing(Need.UDP_SOCKET, Need.IKE);
    }

    @Provides @IntoMap @StringKey("ike-responder")
    static StageFactory ikeResponder() {
        return StageFactory.of("gateway, udp pipeline after udp-recv: our IKEv2 responder on the ESP socket (PSK, virtual-IP pool); puts each client's Child SA into esp-encrypt and esp-decrypt",
                Set.of("warmup"), o -> {
                    boolean warmup = o.bool("warmup");
                    return env -> {
                        var responder = env.ikeResponder();
                        if (warmup) BackgroundWarmup.startOnce(responder.config().ikeProposals(), responder.config().espProposals());
                        return new io.steadfast.handlers.ike.IkeResponderHandler(responder, env::tun, System::nanoTime);
                    };
                }).needing(Need.UDP_SOCKET, Need.IKE_RESPONDER);
    }

    @Provides @IntoMap @StringKey("esp-encrypt")
    static StageFactory espEncrypt() {
        return StageFactory.of("seals inner packets into ESP (RFC 4303) with the outbound SA whose traffic selector covers the destination",
                Set.of(), o -> env -> new EspEncryptHandler(env.outboundSas())).needing(Need.OUTBOUND_SA);
    }

    @Provides @IntoMap @StringKey("esp-decrypt")
    static StageFactory espDecrypt() {
        return StageFactory.of("opens ESP with the inbound SA its SPI names: anti-replay, ICV, padding; drops and counts the rest",
                Set.of(), o -> env -> new EspDecryptHandler(env.inboundSas())).needing(Need.INBOUND_SA);
    }

    @Provides @IntoMap @StringKey("ipip-encap")
    static StageFactory ipipEncap() {
        return StageFactory.of("client: wraps packets from S in IP-in-IP (RFC 2003) V -> R, in place",
                Set.of(), o -> env -> new IpipEncapHandler(env.relayClient())).needing(Need.RELAY_CLIENT);
    }

    @Provides @IntoMap @StringKey("ipip-decap")
    static StageFactory ipipDecap() {
        return StageFactory.of("client: unwraps IP-in-IP from R to S; takes the relay's binding acknowledgements",
                Set.of(), o -> env -> new IpipDecapHandler(env.relayClient())).needing(Need.RELAY_CLIENT);
    }

    @Provides @IntoMap @StringKey("relay-client")
    static StageFactory relayClient() {
        return StageFactory.of("client: sends authenticated binding updates S -> V to the relay at start and after every tunnel change",
                Set.of(), o -> env -> new RelayClientHandler(env.relayClient(), System::nanoTime)).needing(Need.RELAY_CLIENT);
    }

    /** The ICMP identifier of our probes: fixed, so that captures and tests recognise them (0x5346, "SF"). */
    static final int PROBE_IDENTIFIER = 0x5346;

    @Provides @IntoMap @StringKey("inbound-monitor")
    static StageFactory inboundMonitor() {
        return StageFactory.of("client, right after esp-decrypt: feeds the failover controller the active gateway's last valid inbound; takes probe replies out",
                Set.of(), o -> env -> new InboundMonitorHandler(env.failover(), env.probeTarget(), PROBE_IDENTIFIER, System::nanoTime))
                .needing(Need.FAILOVER);
    }

    @Provides @IntoMap @StringKey("probe-injector")
    static StageFactory probeInjector() {
        return StageFactory.of("client, before esp-encrypt: sends ICMP echo V -> P through the active gateway when inbound is idle",
                Set.of(), o -> env -> new ProbeInjectorHandler(env.probeTarget(), PROBE_IDENTIFIER)).needing(Need.FAILOVER);
    }

    @Provides @IntoMap @StringKey("failover-controller")
    static StageFactory failoverController() {
        return StageFactory.of("client, with probe-injector and esp-encrypt: switches to the next gateway when the active one is dead",
                Set.of(), o -> env -> new FailoverHandler(env.failover(), System::nanoTime, () -> env.hasUdp() ? env.udp() : null))
                .needing(Need.FAILOVER);
    }

    @Provides @IntoMap @StringKey("relay-server")
    static StageFactory relayServer() {
        return StageFactory.of("relay: checks and unwraps client IP-in-IP, applies binding updates, wraps packets for S to its V",
                Set.of(), o -> env -> new RelayServerHandler(env.relayServer(), System::nanoTime)).needing(Need.RELAY_SERVER);
    }

    @Provides @IntoMap @StringKey("pcap")
    static StageFactory pcap() {
        return StageFactory.of("writes every packet to a pcap file (LINKTYPE_RAW) that Wireshark and tshark open; packets pass unchanged",
                Set.of("file", "snaplen"), o -> {
                    Path file = o.path("file", true);
                    int snaplen = o.intInRange("snaplen", 64, 262144);
                    return env -> new PcapHandler(file, snaplen);
                });
    }

    @Provides @IntoMap @StringKey("loss")
    static StageFactory loss() {
        return StageFactory.of("drops packets with a probability, or all while blackhole is on (steadfast control ... on|off)",
                Set.of("probability", "blackhole", "seed"), o -> {
                    double p = o.doubleInRange("probability", 0.0, 1.0);
                    boolean blackhole = o.bool("blackhole");
                    long seed = o.has("seed") ? o.intInRange("seed", Integer.MIN_VALUE, Integer.MAX_VALUE) : 0;
                    return env -> new LossHandler(p, blackhole, seed == 0 ? new SplittableRandom() : new Random(seed));
                });
    }

    @Provides @IntoMap @StringKey("delay")
    static StageFactory delay() {
        return StageFactory.of("holds every packet for delay +/- uniform jitter (packets may reorder when jitter > 0)",
                Set.of("delay", "jitter", "max-pending"), o -> {
                    Duration delay = o.duration("delay", Duration.ZERO);
                    Duration jitter = o.duration("jitter", Duration.ZERO);
                    int maxPending = o.intInRange("max-pending", 1, 10_000_000);
                    return env -> new DelayHandler(delay, jitter, new SplittableRandom(), maxPending);
                });
    }
}
