package io.steadfast.ike;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.steadfast.esp.Esp;
import io.steadfast.esp.EspDecryptor;
import io.steadfast.esp.EspEncryptor;
import io.steadfast.esp.Lifetime;
import io.steadfast.ike.auth.PskAuthenticator;
import io.steadfast.ike.auth.SignedOctets;
import io.steadfast.ike.crypto.ChildSaKeys;
import io.steadfast.ike.crypto.ChildSuite;
import io.steadfast.ike.crypto.DhGroup;
import io.steadfast.ike.crypto.IkeSaKeys;
import io.steadfast.ike.crypto.IkeSuite;
import io.steadfast.ike.crypto.KeyExchange;
import io.steadfast.ike.crypto.SkCipher;
import io.steadfast.ike.payload.AuthPayload;
import io.steadfast.ike.payload.ConfigAttribute;
import io.steadfast.ike.payload.CpPayload;
import io.steadfast.ike.payload.IdPayload;
import io.steadfast.ike.payload.KePayload;
import io.steadfast.ike.payload.NoncePayload;
import io.steadfast.ike.payload.NotifyPayload;
import io.steadfast.ike.payload.Proposal;
import io.steadfast.ike.payload.SaPayload;
import io.steadfast.ike.payload.TrafficSelector;
import io.steadfast.ike.payload.TsPayload;
import io.steadfast.ike.proposal.ProposalSelector;
import io.steadfast.ike.proposal.ProposalSyntax;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The library's pieces playing both ends of IKE_SA_INIT (with an INVALID_KE_PAYLOAD retry) and IKE_AUTH with a
 * pre-shared key, in memory, down to a working pair of ESP SAs. What the exchange classes of the next part do.
 */
class InMemoryHandshakeTest {
    static final SecureRandom RANDOM = new SecureRandom();
    static final byte[] PSK = "in-memory psk".getBytes(StandardCharsets.UTF_8);

    @Test
    void pskHandshakeDownToEsp() throws Exception {
        // ---- initiator: IKE_SA_INIT with x25519, though it also offers ecp256 ----
        List<Proposal> initiatorIke = ProposalSyntax.parseIke("aes128gcm16-prfsha256-x25519-ecp256");
        List<Proposal> responderIke = ProposalSyntax.parseIke("aes256gcm16-prfsha384-ecp256,aes128gcm16-prfsha256-ecp256");
        long spiI = RANDOM.nextLong();
        byte[] ni = NoncePayload.random(32, RANDOM).nonce();
        KeyExchange dhI = DhGroup.CURVE25519.generate(RANDOM);
        byte[] firstTry = initRequest(spiI, initiatorIke, dhI, ni, null);

        // ---- responder: wants ecp256, answers INVALID_KE_PAYLOAD ----
        IkeMessage request = IkeMessageDecoder.decode(firstTry);
        Proposal chosen = ProposalSelector.select(responderIke, request.first(SaPayload.class).orElseThrow().proposals())
                .orElseThrow();
        assertThat(ProposalSyntax.render(chosen)).isEqualTo("aes128gcm16-prfsha256-ecp256");
        int wanted = chosen.first(Ike.TRANSFORM_DH).id();
        assertThat(request.first(KePayload.class).orElseThrow().group()).isNotEqualTo(wanted);
        byte[] retry = IkeMessageBuilder.response(Ike.EXCHANGE_IKE_SA_INIT, spiI, 0, 0, false)
                .add(NotifyPayload.invalidKePayload(wanted)).encode();

        // ---- initiator: retries with the group asked for ----
        int group = IkeMessageDecoder.decode(retry).notify(Ike.NOTIFY_INVALID_KE_PAYLOAD).orElseThrow().invalidKeGroup();
        dhI.close();
        dhI = DhGroup.byId(group).generate(RANDOM);
        byte[] initRequest = initRequest(spiI, initiatorIke, dhI, ni, null);

        // ---- responder: IKE_SA_INIT response ----
        request = IkeMessageDecoder.decode(initRequest);
        chosen = ProposalSelector.select(responderIke, request.first(SaPayload.class).orElseThrow().proposals()).orElseThrow();
        KeyExchange dhR = DhGroup.byId(chosen.first(Ike.TRANSFORM_DH).id()).generate(RANDOM);
        long spiR = RANDOM.nextLong();
        byte[] nr = NoncePayload.random(32, RANDOM).nonce();
        byte[] initResponse = IkeMessageBuilder.response(Ike.EXCHANGE_IKE_SA_INIT, spiI, spiR, 0, false)
                .add(SaPayload.of(chosen)).add(new KePayload(dhR.group().id(), dhR.publicValue())).add(new NoncePayload(nr))
                .add(NatTraversal.sourceNotify(spiI, spiR, Fixtures.RESPONDER))
                .add(NatTraversal.destinationNotify(spiI, spiR, Fixtures.INITIATOR)).encode();
        IkeSaKeys responderKeys = IkeSaKeys.derive(IkeSuite.of(chosen),
                dhR.sharedSecret(request.first(KePayload.class).orElseThrow().keyData()),
                request.first(NoncePayload.class).orElseThrow().nonce(), nr, spiI, spiR);

        // ---- initiator: checks the answer, derives the same keys ----
        IkeMessage response = IkeMessageDecoder.decode(initResponse);
        Proposal accepted = ProposalSelector.checkAnswer(initiatorIke, response.first(SaPayload.class).orElseThrow());
        assertThat(NatTraversal.peerBehindNat(response, Fixtures.RESPONDER)).isFalse();
        assertThat(NatTraversal.weAreBehindNat(response, Fixtures.INITIATOR)).isFalse();
        IkeSaKeys initiatorKeys = IkeSaKeys.derive(IkeSuite.of(accepted),
                dhI.sharedSecret(response.first(KePayload.class).orElseThrow().keyData()), ni,
                response.first(NoncePayload.class).orElseThrow().nonce(), spiI, response.header().responderSpi());
        assertThat(initiatorKeys.skD()).isEqualTo(responderKeys.skD());
        assertThat(initiatorKeys.skPr()).isEqualTo(responderKeys.skPr());
        dhI.close();
        dhR.close();

        // ---- initiator: IKE_AUTH request ----
        int initiatorSpi = 0xc1000000 | RANDOM.nextInt(0xffffff);
        IdPayload idi = IdPayload.fqdn(true, "client.example");
        byte[] authI = PskAuthenticator.compute(initiatorKeys.suite().prf(), PSK,
                SignedOctets.of(initRequest, response.first(NoncePayload.class).orElseThrow().nonce(),
                        initiatorKeys.suite().prf(), initiatorKeys.skPi(), idi));
        List<Proposal> initiatorEsp = ProposalSyntax.parseEsp("aes256gcm16,aes128gcm16", spiBytes(initiatorSpi));
        byte[] authRequest;
        try (SkCipher out = initiatorKeys.cipher(true, RANDOM)) {
            authRequest = IkeMessageBuilder.request(Ike.EXCHANGE_IKE_AUTH, spiI, spiR, 1, true)
                    .add(idi).add(NotifyPayload.of(Ike.NOTIFY_INITIAL_CONTACT))
                    .add(new AuthPayload(Ike.AUTH_SHARED_KEY_MIC, authI))
                    .add(CpPayload.request(Ike.ATTR_INTERNAL_IP4_ADDRESS, Ike.ATTR_INTERNAL_IP4_DNS))
                    .add(new SaPayload(initiatorEsp))
                    .add(new TsPayload(true, List.of(TrafficSelector.ipv4Subnet("0.0.0.0", 0))))
                    .add(new TsPayload(false, List.of(TrafficSelector.ipv4Subnet("10.10.0.0", 16))))
                    .encrypt(out);
        }

        // ---- responder: verifies, assigns a virtual IP, chooses ESP ----
        IkeMessage auth;
        try (SkCipher in = responderKeys.cipher(true, RANDOM)) {
            auth = IkeMessageDecoder.decrypt(authRequest, in);
        }
        IdPayload peerId = auth.first(IdPayload.class).orElseThrow();
        assertThat(PskAuthenticator.verify(responderKeys.suite().prf(), PSK,
                SignedOctets.of(initRequest, nr, responderKeys.suite().prf(), responderKeys.skPi(), peerId),
                auth.first(AuthPayload.class).orElseThrow().data())).isTrue();
        int responderSpi = 0xc2000000 | RANDOM.nextInt(0xffffff);
        Proposal childChosen = ProposalSelector.select(ProposalSyntax.parseEsp("aes128gcm16", spiBytes(responderSpi)),
                auth.first(SaPayload.class).orElseThrow().proposals()).orElseThrow();
        int peerChildSpi = childChosen.spiAsInt();
        Proposal childAnswer = childChosen.with(childChosen.number(), spiBytes(responderSpi));
        IdPayload idr = IdPayload.fqdn(false, "gw.example");
        byte[] authR = PskAuthenticator.compute(responderKeys.suite().prf(), PSK,
                SignedOctets.of(initResponse, ni, responderKeys.suite().prf(), responderKeys.skPr(), idr));
        Inet4Address vip = (Inet4Address) InetAddress.getByName("10.99.0.7");
        byte[] authResponse = authResponse(responderKeys, spiI, spiR, idr, authR, vip, childAnswer);

        // ---- initiator: verifies the responder, reads its virtual IP, accepts the Child SA ----
        IkeMessage answer;
        try (SkCipher in = initiatorKeys.cipher(false, RANDOM)) {
            answer = IkeMessageDecoder.decrypt(authResponse, in);
        }
        assertThat(PskAuthenticator.verify(initiatorKeys.suite().prf(), PSK,
                SignedOctets.of(initResponse, ni, initiatorKeys.suite().prf(), initiatorKeys.skPr(),
                        answer.first(IdPayload.class).orElseThrow()),
                answer.first(AuthPayload.class).orElseThrow().data())).isTrue();
        assertThat(answer.first(CpPayload.class).orElseThrow().ipv4(Ike.ATTR_INTERNAL_IP4_ADDRESS)).containsExactly(vip);
        Proposal childAccepted = ProposalSelector.checkAnswer(initiatorEsp, answer.first(SaPayload.class).orElseThrow());
        ChildSuite childSuite = ChildSuite.of(childAccepted);

        // ---- both: KEYMAT and ESP ----
        ChildSaKeys.Pair initiatorSas;
        ChildSaKeys.Pair responderSas;
        try (ChildSaKeys keys = ChildSaKeys.derive(initiatorKeys.suite().prf(), initiatorKeys.skD(), childSuite.espAlgorithm(),
                null, ni, nr)) {
            initiatorSas = keys.securityAssociations(true, initiatorSpi, childAccepted.spiAsInt(), false, Lifetime.UNLIMITED);
        }
        try (ChildSaKeys keys = ChildSaKeys.derive(responderKeys.suite().prf(), responderKeys.skD(), childSuite.espAlgorithm(),
                null, ni, nr)) {
            responderSas = keys.securityAssociations(false, responderSpi, peerChildSpi, false, Lifetime.UNLIMITED);
        }
        assertThat(initiatorSas.outbound().spi()).isEqualTo(responderSas.inbound().spi());
        assertThat(responderSas.outbound().spi()).isEqualTo(initiatorSas.inbound().spi());
        byte[] ping = Hex.bytes("450000540000400040010000 0a630007 0a0a0001 0800f7ff00000000");
        assertThat(esp(initiatorSas, responderSas, ping)).isEqualTo(ping);
        assertThat(esp(responderSas, initiatorSas, ping)).isEqualTo(ping);
        initiatorKeys.close();
        responderKeys.close();
    }

    private static byte[] authResponse(IkeSaKeys keys, long spiI, long spiR, IdPayload idr, byte[] authR, Inet4Address vip,
            Proposal childAnswer) {
        try (SkCipher out = keys.cipher(false, RANDOM)) {
            return IkeMessageBuilder.response(Ike.EXCHANGE_IKE_AUTH, spiI, spiR, 1, false)
                    .add(idr).add(new AuthPayload(Ike.AUTH_SHARED_KEY_MIC, authR))
                    .add(new CpPayload(Ike.CFG_REPLY, List.of(ConfigAttribute.ipv4(Ike.ATTR_INTERNAL_IP4_ADDRESS, vip))))
                    .add(SaPayload.of(childAnswer))
                    .add(new TsPayload(true, List.of(TrafficSelector.ipv4Subnet("10.99.0.7", 32))))
                    .add(new TsPayload(false, List.of(TrafficSelector.ipv4Subnet("10.10.0.0", 16))))
                    .encrypt(out);
        }
    }

    private static byte[] initRequest(long spiI, List<Proposal> ours, KeyExchange dh, byte[] ni, NotifyPayload cookie) {
        IkeMessageBuilder builder = IkeMessageBuilder.request(Ike.EXCHANGE_IKE_SA_INIT, spiI, 0, 0, true);
        if (cookie != null) {
            builder.add(cookie);
        }
        return builder.add(new SaPayload(ours)).add(new KePayload(dh.group().id(), dh.publicValue()))
                .add(new NoncePayload(ni)).add(NatTraversal.sourceNotify(spiI, 0, Fixtures.INITIATOR))
                .add(NatTraversal.destinationNotify(spiI, 0, Fixtures.RESPONDER))
                .add(NotifyPayload.signatureHashAlgorithms(Ike.HASH_SHA2_256, Ike.HASH_SHA2_384, Ike.HASH_SHA2_512))
                .add(NotifyPayload.of(Ike.NOTIFY_IKEV2_FRAGMENTATION_SUPPORTED)).encode();
    }

    private static byte[] spiBytes(int spi) {
        return new byte[] {(byte) (spi >>> 24), (byte) (spi >>> 16), (byte) (spi >>> 8), (byte) spi};
    }

    private static byte[] esp(ChildSaKeys.Pair from, ChildSaKeys.Pair to, byte[] inner) {
        EspEncryptor encryptor = new EspEncryptor(from.outbound());
        ByteBuf buf = Unpooled.buffer(EspEncryptor.MAX_HEADROOM + inner.length + encryptor.maxTailroom());
        try {
            buf.writerIndex(EspEncryptor.MAX_HEADROOM).readerIndex(EspEncryptor.MAX_HEADROOM);
            buf.writeBytes(inner);
            assertThat(encryptor.seal(buf, Esp.NEXT_HEADER_IPV4)).isNull();
            assertThat(new EspDecryptor(to.inbound()).open(buf)).isNull();
            byte[] out = new byte[buf.readableBytes()];
            buf.readBytes(out);
            return out;
        } finally {
            buf.release();
        }
    }
}
