package io.steadfast.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.ike.NatTraversal;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An initiator that shares one socket for IKE and ESP talks to the gateway's port 4500 from the first message. */
class NattFromTheStartTest {

    @Test
    void everyMessageToTheNattPortCarriesTheMarkerAndTheHandshakeCompletes() {
        SecureRandom random = new SecureRandom();
        long now = TimeUnit.SECONDS.toNanos(1000);
        InetSocketAddress gateway4500 = new InetSocketAddress(Wire.GATEWAY.getAddress(), 4500);
        IkeResponder responder = new IkeResponder(Wire.gateway(), Wire.GATEWAY, random, now);
        IkeSa client = IkeSa.initiator(Wire.client(), Wire.CLIENT, gateway4500, random);
        List<Datagram> toGateway = new ArrayList<>(client.start(now).datagrams());
        List<IkeEvent> events = new ArrayList<>();
        for (int round = 0; round < 10 && !toGateway.isEmpty(); round++) {
            List<Datagram> next = new ArrayList<>();
            for (Datagram d : toGateway) {
                assertThat(d.peer()).isEqualTo(gateway4500);
                assertThat(NatTraversal.hasNonEspMarker(d.payload())).as("marker on the NAT-T port").isTrue();
                for (Datagram answer : responder.receive(Wire.CLIENT, d.payload(), now).datagrams()) {
                    assertThat(NatTraversal.hasNonEspMarker(answer.payload())).isTrue();
                    Actions a = client.receive(gateway4500, answer.payload(), now);
                    next.addAll(a.datagrams());
                    events.addAll(a.events());
                }
            }
            toGateway = next;
        }
        assertThat(client.state()).isEqualTo(IkeSa.State.ESTABLISHED);
        assertThat(events).anyMatch(e -> e instanceof IkeEvent.ChildSaUp);
        assertThat(client.virtualIp()).isNotNull();
    }
}
