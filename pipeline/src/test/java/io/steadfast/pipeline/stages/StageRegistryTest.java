package io.steadfast.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.steadfast.pipeline.SteadfastComponent;
import io.steadfast.pipeline.config.ConfigReader;
import io.steadfast.pipeline.config.Problems;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StageRegistryTest {

    @Test
    void daggerRegistersEveryBuiltInStage() {
        StageRegistry registry = SteadfastComponent.create().stageRegistry();
        assertThat(registry.all().keySet()).containsExactly(
                "delay", "discard", "esp-decrypt", "esp-encrypt", "failover-controller", "icmp-echo", "ike", "ike-responder", "inbound-monitor",
                "ipip-decap", "ipip-encap", "loss", "pass", "pcap", "probe-injector", "relay-client", "relay-server",
                "tun-read", "tun-write", "udp-recv", "udp-send");
        assertThat(registry.find("loss")).isPresent();
        assertThat(registry.find("lossy")).isEmpty();
    }

    @Test
    void everyStageConfiguresFromReferenceConfDefaultsAndMakesAFreshHandlerEachTime() {
        StageRegistry registry = SteadfastComponent.create().stageRegistry();
        var reference = ConfigFactory.defaultReference().getConfig("steadfast.stages");
        EmbeddedChannel tun = new EmbeddedChannel();
        StageEnvironment env = new StageEnvironment() {
            @Override
            public Channel tun() {
                return tun;
            }

            @Override
            public String pipeline() {
                return "test";
            }

            @Override
            public io.steadfast.relay.RelayClient relayClient() {
                return new io.steadfast.relay.RelayClient(7, new byte[32], 0x0a090001, 0x0a140002, 60,
                        System.currentTimeMillis(), System::nanoTime);
            }

            @Override
            public io.steadfast.handlers.failover.FailoverController failover() {
                return new io.steadfast.handlers.failover.FailoverController(java.util.List.of(
                        new io.steadfast.handlers.failover.Gateway("gw", "out", "in", 0x0a640105)),
                        io.steadfast.handlers.failover.FailoverSettings.defaults(), System.nanoTime());
            }

            @Override
            public java.util.List<io.steadfast.handlers.ike.IkeGateway> ikeGateways() {
                return java.util.List.of(new io.steadfast.handlers.ike.IkeGateway("gw", new java.net.InetSocketAddress("192.0.2.1", 4500),
                        io.steadfast.ike.sa.InitiatorConfig.psk("client.example", new byte[16], "aes128gcm16-prfsha256-x25519",
                                "aes128gcm16", java.util.List.of(io.steadfast.ike.payload.TrafficSelector.ipv4Subnet("10.2.0.0", 16))), 0, 0));
            }

            @Override
            public io.steadfast.ike.sa.IkeResponder ikeResponder() {
                return new io.steadfast.ike.sa.IkeResponder(io.steadfast.ike.sa.ResponderConfig.psk("gw.example",
                        java.util.Map.of("c", new byte[16]), "aes128gcm16-prfsha256-x25519", "aes128gcm16",
                        java.util.List.of(io.steadfast.ike.payload.TrafficSelector.ipv4Subnet("10.2.0.0", 16)), "10.99.0.0/24"),
                        new java.net.InetSocketAddress("192.0.2.1", 4500), new java.security.SecureRandom(), System.nanoTime());
            }

            @Override
            public int probeTarget() {
                return 0x0a020002;
            }

            @Override
            public io.steadfast.relay.RelayServer relayServer() {
                return new io.steadfast.relay.RelayServer(0x0a140002, java.util.List.of(), id -> null, System::nanoTime);
            }
        };
        for (Map.Entry<String, StageFactory> e : registry.all().entrySet()) {
            Problems problems = new Problems();
            var defaults = reference.hasPath(e.getKey()) ? reference.getConfig(e.getKey()) : ConfigFactory.empty();
            ConfigReader options = new ConfigReader(ConfigFactory.empty(), defaults, e.getKey(), null, problems);
            StageRecipe recipe = e.getValue().configure(options);
            assertThat(problems.list()).as(e.getKey()).isEmpty();
            assertThat(e.getValue().description()).isNotBlank();
            assertThat(defaults.root().keySet()).as("documented defaults of " + e.getKey())
                    .isSubsetOf(e.getValue().optionKeys());
            ChannelHandler a = recipe.newHandler(env);
            ChannelHandler b = recipe.newHandler(env);
            assertThat(a).isNotSameAs(b);
        }
    }
}
