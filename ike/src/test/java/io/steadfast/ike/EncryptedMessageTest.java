package io.steadfast.ike;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.ike.crypto.IkeSaKeys;
import io.steadfast.ike.crypto.IkeSuite;
import io.steadfast.ike.crypto.SkCipher;
import io.steadfast.ike.payload.AuthPayload;
import io.steadfast.ike.payload.CpPayload;
import io.steadfast.ike.payload.IdPayload;
import io.steadfast.ike.payload.NotifyPayload;
import io.steadfast.ike.payload.Payload;
import io.steadfast.ike.payload.SaPayload;
import io.steadfast.ike.payload.TrafficSelector;
import io.steadfast.ike.payload.TsPayload;
import io.steadfast.ike.proposal.ProposalSyntax;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** IKE_AUTH-like messages sealed in SK payloads by the builder and opened by the decoder. */
class EncryptedMessageTest {
    static final SecureRandom RANDOM = new SecureRandom();
    static final byte[] NI = Hex.bytes("01".repeat(32));
    static final byte[] NR = Hex.bytes("02".repeat(32));
    static final byte[] GIR = Hex.bytes("03".repeat(32));
    static final long SPI_R = 0x1112131415161718L;

    static IkeSaKeys keys(String proposal) throws IkeParseException {
        return IkeSaKeys.derive(IkeSuite.of(ProposalSyntax.parseIke(proposal, 1)), GIR, NI, NR, Fixtures.SPI_I, SPI_R);
    }

    static List<Payload> ikeAuthPayloads() {
        return List.of(IdPayload.fqdn(true, "client.example"), NotifyPayload.of(Ike.NOTIFY_INITIAL_CONTACT),
                new AuthPayload(Ike.AUTH_SHARED_KEY_MIC, Hex.bytes("aa".repeat(32))),
                CpPayload.request(Ike.ATTR_INTERNAL_IP4_ADDRESS, Ike.ATTR_INTERNAL_IP4_DNS),
                SaPayload.of(ProposalSyntax.parseEsp("aes128gcm16", 1, Hex.bytes("c0ffee01"))),
                new TsPayload(true, List.of(TrafficSelector.ipv4Subnet("0.0.0.0", 0))),
                new TsPayload(false, List.of(TrafficSelector.ipv4Subnet("10.10.0.0", 16))),
                NotifyPayload.of(Ike.NOTIFY_MOBIKE_SUPPORTED));
    }

    static IkeMessageBuilder ikeAuth() {
        return IkeMessageBuilder.request(Ike.EXCHANGE_IKE_AUTH, Fixtures.SPI_I, SPI_R, 1, true).addAll(ikeAuthPayloads());
    }

    @ParameterizedTest
    @ValueSource(strings = {"aes128gcm16-prfsha256-x25519", "aes256gcm16-prfsha384-ecp256", "chacha20poly1305-prfsha512-x25519",
            "aes128-sha256-modp2048", "aes256-sha512-ecp256"})
    void roundTripsUnderEverySuite(String proposal) throws Exception {
        try (IkeSaKeys initiator = keys(proposal); IkeSaKeys responder = keys(proposal);
                SkCipher out = initiator.cipher(true, RANDOM); SkCipher in = responder.cipher(true, RANDOM)) {
            byte[] wire = ikeAuth().encrypt(out);
            IkeMessage m = IkeMessageDecoder.decrypt(wire, in);
            assertThat(m.encrypted()).isTrue();
            assertThat(m.header().exchangeType()).isEqualTo(Ike.EXCHANGE_IKE_AUTH);
            assertThat(m.header().messageId()).isEqualTo(1);
            assertThat(m.payloads()).usingRecursiveComparison().isEqualTo(ikeAuthPayloads());
            assertThat(m.toString()).isEqualTo("IKE_AUTH request 1 (encrypted) [ IDi N(INITIAL_CONTACT) AUTH CP SA TSi TSr"
                    + " N(MOBIKE_SUPPORTED) ]");
        }
    }

    @Test
    void headersPointToTheSkPayloadAndItsFirstInnerPayload() throws Exception {
        try (IkeSaKeys keys = keys("aes128gcm16-prfsha256-x25519"); SkCipher out = keys.cipher(true, RANDOM)) {
            byte[] wire = ikeAuth().encrypt(out);
            IkeHeader header = IkeHeader.parse(wire);
            assertThat(header.nextPayload()).isEqualTo(Ike.PAYLOAD_SK);
            assertThat(header.length()).isEqualTo(wire.length);
            assertThat(wire[28] & 0xff).isEqualTo(Ike.PAYLOAD_IDI);
            assertThat(((wire[30] & 0xff) << 8) | (wire[31] & 0xff)).isEqualTo(wire.length - 28);
            IkeMessage sealed = IkeMessageDecoder.decode(wire);
            assertThat(sealed.payloads()).singleElement().isInstanceOf(io.steadfast.ike.payload.EncryptedPayload.class);
        }
    }

    @Test
    void gcmAadIsTheHeaderAndTheSkPayloadHeader() throws Exception {
        // Open the message with an independent AES-GCM (Bouncy Castle) given AAD = the first 32 bytes (RFC 5282 5.1).
        try (IkeSaKeys keys = keys("aes128gcm16-prfsha256-x25519"); SkCipher out = keys.cipher(true, RANDOM)) {
            byte[] wire = ikeAuth().encrypt(out);
            byte[] skEi = keys.skEi();
            byte[] nonce = new byte[12];
            System.arraycopy(skEi, 16, nonce, 0, 4);
            System.arraycopy(wire, 32, nonce, 4, 8);
            GCMBlockCipher gcm = (GCMBlockCipher) GCMBlockCipher.newInstance(AESEngine.newInstance());
            gcm.init(false, new AEADParameters(new KeyParameter(skEi, 0, 16), 128, nonce, Arrays.copyOf(wire, 32)));
            byte[] plain = new byte[gcm.getOutputSize(wire.length - 40)];
            int n = gcm.processBytes(wire, 40, wire.length - 40, plain, 0);
            n += gcm.doFinal(plain, n);
            byte[] inner = Arrays.copyOf(plain, n - 1 - plain[n - 1]);
            assertThat(inner).isEqualTo(io.steadfast.ike.payload.PayloadChain.encode(ikeAuthPayloads()));
        }
    }

    @Test
    void cbcIcvCoversTheWholeMessageBeforeIt() throws Exception {
        try (IkeSaKeys keys = keys("aes128-sha256-modp2048"); SkCipher out = keys.cipher(false, RANDOM)) {
            byte[] wire = IkeMessageBuilder.response(Ike.EXCHANGE_IKE_AUTH, Fixtures.SPI_I, SPI_R, 1, false)
                    .addAll(ikeAuthPayloads()).encrypt(out);
            HMac mac = new HMac(new SHA256Digest());
            mac.init(new KeyParameter(keys.skAr()));
            mac.update(wire, 0, wire.length - 16);
            byte[] full = new byte[32];
            mac.doFinal(full, 0);
            assertThat(Arrays.copyOfRange(wire, wire.length - 16, wire.length)).isEqualTo(Arrays.copyOf(full, 16));
            assertThat((wire.length - 28 - 4 - 16 - 16) % 16).isZero();
        }
    }

    @Test
    void emptyInformationalIsALivenessCheck() throws Exception {
        try (IkeSaKeys keys = keys("aes128gcm16-prfsha256-x25519"); SkCipher out = keys.cipher(false, RANDOM);
                SkCipher in = keys.cipher(false, RANDOM)) {
            byte[] wire = IkeMessageBuilder.request(Ike.EXCHANGE_INFORMATIONAL, Fixtures.SPI_I, SPI_R, 7, false).encrypt(out);
            assertThat(wire).hasSize(28 + 4 + 8 + 1 + 16);
            assertThat(wire[28]).isZero();
            IkeMessage m = IkeMessageDecoder.decrypt(wire, in);
            assertThat(m.payloads()).isEmpty();
            assertThat(m.encrypted()).isTrue();
        }
    }

    @Test
    void tamperedMessagesAreDroppedSilently() throws Exception {
        try (IkeSaKeys keys = keys("aes128gcm16-prfsha256-x25519"); SkCipher out = keys.cipher(true, RANDOM);
                SkCipher in = keys.cipher(true, RANDOM)) {
            byte[] wire = ikeAuth().encrypt(out);
            for (int i : new int[] {0, 8, 16, 18, 19, 20, 23, 29, 33, wire.length / 2, wire.length - 1}) {
                byte[] tampered = wire.clone();
                tampered[i] ^= 0x40;
                int at = i;
                assertThatThrownBy(() -> IkeMessageDecoder.decrypt(tampered, in)).as("byte %d", at)
                        .isInstanceOf(IkeParseException.class);
            }
            byte[] tampered = wire.clone();
            tampered[50] ^= 1;
            assertThatThrownBy(() -> IkeMessageDecoder.decrypt(tampered, in)).isInstanceOf(IkeParseException.class)
                    .satisfies(e -> assertThat(((IkeParseException) e).notifyType()).isEqualTo(IkeParseException.SILENT_DROP));
        }
    }

    @Test
    void decryptLeavesAMessageWithoutSkAsItIs() throws Exception {
        try (IkeSaKeys keys = keys("aes128gcm16-prfsha256-x25519"); SkCipher in = keys.cipher(true, RANDOM)) {
            IkeMessage m = IkeMessageDecoder.decrypt(Hex.bytes(Fixtures.IKE_SA_INIT_REQUEST), in);
            assertThat(m.encrypted()).isFalse();
            assertThat(m.payloads()).hasSize(7);
        }
    }

    @Test
    void unknownCriticalInnerPayloadIsReportedAfterDecryption() throws Exception {
        try (IkeSaKeys keys = keys("aes128gcm16-prfsha256-x25519"); SkCipher out = keys.cipher(true, RANDOM);
                SkCipher in = keys.cipher(true, RANDOM)) {
            // Seal an inner chain by hand: an unknown critical payload of type 200.
            byte[] inner = Hex.bytes("00 80 0005 ff");
            byte[] message = new byte[32 + out.sealedLength(inner.length)];
            System.arraycopy(IkeHeader.of(Fixtures.SPI_I, SPI_R, Ike.EXCHANGE_INFORMATIONAL, Ike.FLAG_INITIATOR, 2)
                    .with(Ike.PAYLOAD_SK, message.length).toBytes(), 0, message, 0, 28);
            message[28] = (byte) 200;
            message[30] = (byte) ((message.length - 28) >> 8);
            message[31] = (byte) (message.length - 28);
            out.seal(message, 32, inner);
            assertThatThrownBy(() -> IkeMessageDecoder.decrypt(message, in)).isInstanceOf(IkeParseException.class)
                    .satisfies(e -> {
                        IkeParseException p = (IkeParseException) e;
                        assertThat(p.notifyType()).isEqualTo(Ike.NOTIFY_UNSUPPORTED_CRITICAL_PAYLOAD);
                        assertThat(p.notifyData()).containsExactly(200);
                    });
        }
    }
}
