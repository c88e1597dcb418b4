package io.steadfast.ike;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.ike.payload.DeletePayload;
import io.steadfast.ike.payload.IdPayload;
import io.steadfast.ike.payload.NotifyPayload;
import io.steadfast.ike.payload.Payload;
import io.steadfast.ike.payload.VendorIdPayload;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IkeMessageTest {
    static final IkeHeader HEADER = IkeHeader.of(1, 2, Ike.EXCHANGE_INFORMATIONAL, Ike.FLAG_RESPONSE, 3);

    static IkeMessage message() {
        return new IkeMessage(HEADER, List.of(NotifyPayload.of(Ike.NOTIFY_NAT_DETECTION_SOURCE_IP, new byte[20]),
                IdPayload.fqdn(false, "gw"), NotifyPayload.of(Ike.NOTIFY_NAT_DETECTION_SOURCE_IP, new byte[20]),
                NotifyPayload.of(Ike.NOTIFY_AUTHENTICATION_FAILED), DeletePayload.ikeSa(), new VendorIdPayload(new byte[2])),
                true);
    }

    @Test
    void findsPayloadsByClass() {
        IkeMessage m = message();
        assertThat(m.first(IdPayload.class)).isPresent();
        assertThat(m.first(io.steadfast.ike.payload.SaPayload.class)).isEmpty();
        assertThat(m.all(NotifyPayload.class)).hasSize(3);
        assertThat(m.all(Payload.class)).hasSize(6);
    }

    @Test
    void findsNotifiesByType() {
        IkeMessage m = message();
        assertThat(m.notify(Ike.NOTIFY_AUTHENTICATION_FAILED)).isPresent();
        assertThat(m.notify(Ike.NOTIFY_COOKIE)).isEmpty();
        assertThat(m.notifies(Ike.NOTIFY_NAT_DETECTION_SOURCE_IP)).hasSize(2);
        assertThat(m.errors()).extracting(NotifyPayload::notifyType).containsExactly(Ike.NOTIFY_AUTHENTICATION_FAILED);
    }

    @Test
    void payloadListIsImmutableCopy() {
        List<Payload> list = new ArrayList<>(List.of(DeletePayload.ikeSa()));
        IkeMessage m = new IkeMessage(HEADER, list, false);
        list.clear();
        assertThat(m.payloads()).hasSize(1);
    }

    @Test
    void toStringListsPayloadsLikeStrongSwan() {
        assertThat(message().toString()).isEqualTo("INFORMATIONAL response 3 (encrypted) [ N(NAT_DETECTION_SOURCE_IP) IDr"
                + " N(NAT_DETECTION_SOURCE_IP) N(AUTHENTICATION_FAILED) D V ]");
    }
}
