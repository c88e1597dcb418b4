package io.steadfast.pipeline.runtime;

import io.steadfast.esp.EspDecryptor;
import io.steadfast.esp.EspEncryptor;
import io.steadfast.esp.Lifetime;
import io.steadfast.esp.SecurityAssociation;
import io.steadfast.handlers.esp.EspDecryptHandler.InboundSa;
import io.steadfast.handlers.esp.OutboundSa;
import io.steadfast.handlers.failover.FailoverController;
import io.steadfast.handlers.failover.Gateway;
import io.steadfast.pipeline.profile.FailoverSpec;
import io.steadfast.pipeline.profile.Profile;
import io.steadfast.pipeline.profile.SaSpec;
import io.steadfast.relay.ClientKeys;
import io.steadfast.relay.RelayClient;
import io.steadfast.relay.RelayServer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The protocol objects a profile's stages share, made from the profile: the relay client and server, the failover
 * controller and the manually keyed ESP SAs. {@link Instance} hands them to the stages of {@code steadfast}; the
 * pipeline benchmarks' fixture makes them the same way. Each call makes new objects: callers keep one.
 *
 * <pre>{@code
 * RelayServer server = ProfileObjects.relayServer(profile);
 * List<OutboundSa> out = ProfileObjects.outboundSas(profile, sas::add); // sas: closed when the instance stops
 * }</pre>
 */
public final class ProfileObjects {
    private ProfileObjects() {}

    /** The client side of the relay protocol ({@code relay} with {@code client-id}), told its care-of address if set. */
    public static RelayClient relayClient(Profile profile) {
        var relay = profile.relay();
        var self = relay.self();
        if (self == null) throw new IllegalStateException("no relay client configured");
        RelayClient client = new RelayClient(self.clientId(), self.key(), self.stableAddress(), relay.address(),
                (int) Math.max(1, relay.lifetime().toSeconds()), System.currentTimeMillis(), System::nanoTime);
        if (relay.careOf() != 0) client.tunnelChanged(relay.careOf());
        return client;
    }

    /** The relay itself ({@code relay} with {@code serves} and the clients' keys). */
    public static RelayServer relayServer(Profile profile) {
        var relay = profile.relay();
        return new RelayServer(relay.address(), relay.serves(), ClientKeys.of(relay.clients()), System::nanoTime);
    }

    /** The failover controller over the gateways of {@code failover}. */
    public static FailoverController failover(Profile profile) {
        FailoverSpec spec = profile.failover();
        if (!spec.configured()) throw new IllegalStateException("no failover configured");
        return new FailoverController(spec.gateways().stream()
                .map(g -> new Gateway(g.name(), g.outboundSa(), g.inboundSa(), g.careOf())).toList(),
                spec.settings(), System.nanoTime());
    }

    /** An encryptor for each outbound SA of {@code esp}; {@code created} sees each new SA (to close it later). */
    public static List<OutboundSa> outboundSas(Profile profile, Consumer<SecurityAssociation> created) {
        List<OutboundSa> out = new ArrayList<>();
        for (SaSpec spec : profile.esp().outbound()) {
            SecurityAssociation sa = SecurityAssociation.outbound(spec.spi(), spec.algorithm(), spec.keyMaterial(),
                    spec.esn(), Lifetime.UNLIMITED);
            created.accept(sa);
            out.add(new OutboundSa(spec.name(), new EspEncryptor(sa), spec.peer(),
                    spec.trafficSelector().address(), spec.trafficSelector().length(), spec.careOf()));
        }
        return out;
    }

    /** A decryptor for each inbound SA of {@code esp}; {@code created} sees each new SA (to close it later). */
    public static List<InboundSa> inboundSas(Profile profile, Consumer<SecurityAssociation> created) {
        List<InboundSa> in = new ArrayList<>();
        for (SaSpec spec : profile.esp().inbound()) {
            SecurityAssociation sa = SecurityAssociation.inbound(spec.spi(), spec.algorithm(), spec.keyMaterial(),
                    spec.esn(), profile.esp().replayWindow(), Lifetime.UNLIMITED);
            created.accept(sa);
            in.add(new InboundSa(spec.name(), spec.spi(), new EspDecryptor(sa)));
        }
        return in;
    }
}
