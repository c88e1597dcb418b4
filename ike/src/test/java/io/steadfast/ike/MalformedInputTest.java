package io.steadfast.ike;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.ike.crypto.IkeSaKeys;
import io.steadfast.ike.crypto.SkCipher;
import io.steadfast.ike.payload.AuthPayload;
import io.steadfast.ike.payload.CertPayload;
import io.steadfast.ike.payload.CertRequestPayload;
import io.steadfast.ike.payload.ConfigAttribute;
import io.steadfast.ike.payload.CpPayload;
import io.steadfast.ike.payload.DeletePayload;
import io.steadfast.ike.payload.IdPayload;
import io.steadfast.ike.payload.KePayload;
import io.steadfast.ike.payload.NoncePayload;
import io.steadfast.ike.payload.NotifyPayload;
import io.steadfast.ike.payload.Payload;
import io.steadfast.ike.payload.PayloadChain;
import io.steadfast.ike.payload.SaPayload;
import io.steadfast.ike.payload.TrafficSelector;
import io.steadfast.ike.payload.TsPayload;
import io.steadfast.ike.payload.VendorIdPayload;
import io.steadfast.ike.proposal.ProposalSyntax;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bad input of every kind (truncations, single-byte changes, random bytes, garbage inside a valid SK
 * payload) ends in a parsed message or an {@link IkeParseException}, never in any other exception.
 */
class MalformedInputTest {
    static final SecureRandom SECURE = new SecureRandom();

    /** One of every payload we parse, in one cleartext message. */
    static List<Payload> everyPayload() {
        return List.of(
                new SaPayload(ProposalSyntax.parseIke("aes128gcm16-aes256gcm16-prfsha256-x25519,aes256-sha256-modp2048")),
                new KePayload(Ike.DH_CURVE25519, Fixtures.KE_DATA), new NoncePayload(Fixtures.NONCE),
                IdPayload.fqdn(true, "client.example"), IdPayload.ipv4(false, (java.net.Inet4Address) Fixtures.RESPONDER.getAddress()),
                CertPayload.x509(new byte[40]), CertRequestPayload.x509(List.of(new byte[20])),
                new AuthPayload(Ike.AUTH_SHARED_KEY_MIC, new byte[32]), NotifyPayload.invalidKePayload(19),
                NotifyPayload.forEsp(Ike.NOTIFY_REKEY_SA, 0x1234, new byte[0]), DeletePayload.esp(1, 2),
                new VendorIdPayload(new byte[16]),
                new TsPayload(true, List.of(TrafficSelector.ipv4Subnet("0.0.0.0", 0), TrafficSelector.ipv4Subnet("10.0.0.1", 32))),
                new TsPayload(false, List.of(TrafficSelector.ipv4Subnet("10.10.0.0", 16))),
                new CpPayload(Ike.CFG_REPLY, List.of(new ConfigAttribute(Ike.ATTR_INTERNAL_IP4_ADDRESS, new byte[4]),
                        ConfigAttribute.request(Ike.ATTR_INTERNAL_IP4_DNS))));
    }

    static byte[] everyPayloadMessage() {
        return IkeMessageBuilder.request(Ike.EXCHANGE_IKE_SA_INIT, 1, 2, 0, true).addAll(everyPayload()).encode();
    }

    /** Decodes, accepting success or IkeParseException only. */
    static void decodeQuietly(byte[] message) {
        try {
            IkeMessageDecoder.decode(message);
        } catch (IkeParseException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        } catch (RuntimeException | Error e) {
            throw new AssertionError("decoding " + Hex.of(message) + " threw " + e, e);
        }
    }

    static byte[] withLength(byte[] message) {
        byte[] copy = message.clone();
        if (copy.length >= 28) {
            copy[24] = (byte) (copy.length >>> 24);
            copy[25] = (byte) (copy.length >>> 16);
            copy[26] = (byte) (copy.length >>> 8);
            copy[27] = (byte) copy.length;
        }
        return copy;
    }

    @Test
    void theKitchenSinkMessageParses() throws Exception {
        IkeMessage m = IkeMessageDecoder.decode(everyPayloadMessage());
        assertThat(m.payloads()).usingRecursiveComparison().isEqualTo(everyPayload());
    }

    @Test
    void everyTruncation() {
        for (byte[] message : List.of(everyPayloadMessage(), Hex.bytes(Fixtures.IKE_SA_INIT_REQUEST))) {
            for (int length = 0; length < message.length; length++) {
                byte[] cut = Arrays.copyOf(message, length);
                decodeQuietly(cut);
                decodeQuietly(withLength(cut));
            }
        }
    }

    @Test
    void everySingleByteChange() {
        byte[] message = everyPayloadMessage();
        for (int i = 0; i < message.length; i++) {
            for (int value : new int[] {0x00, 0xff, 0x80, 0x01, message[i] + 1, message[i] - 1, 0x03, 0x2e, 0x35}) {
                byte[] changed = message.clone();
                changed[i] = (byte) value;
                decodeQuietly(changed);
                decodeQuietly(withLength(changed));
            }
        }
    }

    @Test
    void randomChangesAndInsertions() {
        Random random = new Random(7296);
        byte[] message = everyPayloadMessage();
        for (int round = 0; round < 20_000; round++) {
            byte[] changed = message.clone();
            for (int n = 1 + random.nextInt(4); n > 0; n--) {
                changed[random.nextInt(changed.length)] = (byte) random.nextInt(256);
            }
            if (random.nextBoolean()) {
                int cut = 28 + random.nextInt(changed.length - 28);
                changed = Arrays.copyOf(changed, cut + random.nextInt(changed.length - cut + 1));
            }
            decodeQuietly(withLength(changed));
        }
    }

    @Test
    void randomBytes() {
        Random random = new Random(4306);
        for (int round = 0; round < 5_000; round++) {
            byte[] bytes = new byte[random.nextInt(300)];
            random.nextBytes(bytes);
            if (bytes.length >= 28 && random.nextBoolean()) {
                bytes[17] = 0x20;
                bytes = withLength(bytes);
            }
            decodeQuietly(bytes);
        }
    }

    @Test
    void randomPayloadChainsFromValidPieces() {
        // Chains stitched from valid payload bodies with random types: every body meets every parser.
        Random random = new Random(5996);
        List<byte[]> bodies = everyPayload().stream().map(Payload::body).toList();
        int[] types = {33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 53, 0, 1, 200};
        for (int round = 0; round < 5_000; round++) {
            io.steadfast.ike.ByteWriter out = new io.steadfast.ike.ByteWriter();
            int count = 1 + random.nextInt(5);
            int first = types[random.nextInt(types.length)];
            for (int i = 0; i < count; i++) {
                byte[] body = bodies.get(random.nextInt(bodies.size()));
                out.u8(i == count - 1 ? 0 : types[random.nextInt(types.length)]).u8(random.nextInt(8) == 0 ? 0x80 : 0)
                        .u16(4 + body.length).bytes(body);
            }
            byte[] chain = out.toByteArray();
            try {
                PayloadChain.parse(chain, 0, chain.length, first, random.nextBoolean());
            } catch (IkeParseException expected) {
                assertThat(expected.notifyType()).isIn(Ike.NOTIFY_INVALID_SYNTAX, Ike.NOTIFY_UNSUPPORTED_CRITICAL_PAYLOAD);
            }
        }
    }

    @Test
    void garbageInsideAValidSkPayload() throws Exception {
        Random random = new Random(5282);
        byte[] inner = PayloadChain.encode(everyPayload());
        try (IkeSaKeys keys = EncryptedMessageTest.keys("aes128gcm16-prfsha256-x25519");
                SkCipher out = keys.cipher(true, SECURE); SkCipher in = keys.cipher(true, SECURE)) {
            for (int round = 0; round < 3_000; round++) {
                byte[] changed = inner.clone();
                for (int n = 1 + random.nextInt(3); n > 0; n--) {
                    changed[random.nextInt(changed.length)] = (byte) random.nextInt(256);
                }
                changed = Arrays.copyOf(changed, random.nextInt(changed.length + 1));
                int bodyOffset = 32;
                byte[] message = new byte[bodyOffset + out.sealedLength(changed.length)];
                System.arraycopy(IkeHeader.of(1, 2, Ike.EXCHANGE_IKE_AUTH, Ike.FLAG_INITIATOR, 1)
                        .with(Ike.PAYLOAD_SK, message.length).toBytes(), 0, message, 0, 28);
                message[28] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : Ike.PAYLOAD_SA);
                message[30] = (byte) ((message.length - 28) >>> 8);
                message[31] = (byte) (message.length - 28);
                out.seal(message, bodyOffset, changed);
                try {
                    IkeMessageDecoder.decrypt(message, in);
                } catch (IkeParseException expected) {
                    assertThat(expected.shouldAnswer()).as(expected.getMessage()).isTrue();
                } catch (RuntimeException | Error e) {
                    throw new AssertionError("inner " + Hex.of(changed) + " threw " + e, e);
                }
            }
        }
    }

    @Test
    void truncatedAndMangledEncryptedMessages() throws Exception {
        try (IkeSaKeys keys = EncryptedMessageTest.keys("aes256-sha256-modp2048");
                SkCipher out = keys.cipher(true, SECURE); SkCipher in = keys.cipher(true, SECURE)) {
            byte[] wire = EncryptedMessageTest.ikeAuth().encrypt(out);
            for (int length = 0; length < wire.length; length++) {
                byte[] cut = withLength(Arrays.copyOf(wire, length));
                if (cut.length > 31) {
                    cut[30] = (byte) ((cut.length - 28) >>> 8);
                    cut[31] = (byte) (cut.length - 28);
                }
                try {
                    IkeMessageDecoder.decrypt(cut, in);
                    throw new AssertionError("a truncated message decrypted at length " + length);
                } catch (IkeParseException expected) {
                    // dropped or refused
                }
            }
        }
    }
}
