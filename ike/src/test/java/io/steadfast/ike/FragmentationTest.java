package io.steadfast.ike;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.ike.FragmentReassembler.Complete;
import io.steadfast.ike.FragmentReassembler.Discarded;
import io.steadfast.ike.FragmentReassembler.Incomplete;
import io.steadfast.ike.FragmentReassembler.Result;
import io.steadfast.ike.crypto.IkeSaKeys;
import io.steadfast.ike.crypto.SkCipher;
import io.steadfast.ike.payload.CertPayload;
import io.steadfast.ike.payload.Payload;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 7383: SKF fragments from the builder, opened and reassembled. */
class FragmentationTest {
    static final SecureRandom RANDOM = new SecureRandom();
    static final long SECOND = 1_000_000_000L;

    static List<Payload> bigPayloads() {
        byte[] cert = new byte[3000];
        new Random(7383).nextBytes(cert);
        List<Payload> payloads = new ArrayList<>(EncryptedMessageTest.ikeAuthPayloads());
        payloads.add(1, CertPayload.x509(cert));
        return payloads;
    }

    static IkeMessageBuilder big() {
        return IkeMessageBuilder.response(Ike.EXCHANGE_IKE_AUTH, Fixtures.SPI_I, EncryptedMessageTest.SPI_R, 1, false)
                .addAll(bigPayloads());
    }

    static FragmentReassembler reassembler() {
        return new FragmentReassembler(64, 64 * 1024, 30 * SECOND);
    }

    @Test
    void fragmentsReassembleToTheMessage() throws Exception {
        for (String suite : new String[] {"aes128gcm16-prfsha256-x25519", "aes256-sha256-modp2048"}) {
            try (IkeSaKeys keys = EncryptedMessageTest.keys(suite); SkCipher out = keys.cipher(false, RANDOM);
                    SkCipher in = keys.cipher(false, RANDOM)) {
                List<byte[]> fragments = big().encryptFragments(out, 1280);
                assertThat(fragments.size()).isBetween(3, 4);
                assertThat(fragments).allSatisfy(f -> assertThat(f.length).isLessThanOrEqualTo(1280));
                FragmentReassembler reassembler = reassembler();
                Result result = null;
                for (int i = 0; i < fragments.size(); i++) {
                    IkeMessageDecoder.Fragment f = IkeMessageDecoder.openFragment(fragments.get(i), in);
                    assertThat(f.number()).isEqualTo(i + 1);
                    assertThat(f.total()).isEqualTo(fragments.size());
                    assertThat(f.firstInnerType()).isEqualTo(i == 0 ? Ike.PAYLOAD_IDI : Ike.PAYLOAD_NONE);
                    assertThat(f.header().nextPayload()).isEqualTo(Ike.PAYLOAD_SKF);
                    result = reassembler.offer(f, i * SECOND);
                }
                Complete complete = (Complete) result;
                IkeMessage m = IkeMessageDecoder.assemble(complete.header(), complete.firstInnerType(), complete.plaintext());
                assertThat(m.payloads()).usingRecursiveComparison().isEqualTo(bigPayloads());
                assertThat(m.header().isResponse()).isTrue();
                assertThat(reassembler.isActive()).isFalse();
            }
        }
    }

    @Test
    void fragmentsMayArriveInAnyOrder() throws Exception {
        try (IkeSaKeys keys = EncryptedMessageTest.keys("aes128gcm16-prfsha256-x25519"); SkCipher out = keys.cipher(false, RANDOM);
                SkCipher in = keys.cipher(false, RANDOM)) {
            List<byte[]> fragments = new ArrayList<>(big().encryptFragments(out, 600));
            Collections.shuffle(fragments, new Random(1));
            FragmentReassembler reassembler = reassembler();
            Result result = null;
            for (byte[] fragment : fragments) {
                result = reassembler.offer(IkeMessageDecoder.openFragment(fragment, in), 0);
            }
            Complete complete = (Complete) result;
            assertThat(IkeMessageDecoder.assemble(complete.header(), complete.firstInnerType(), complete.plaintext()).payloads())
                    .usingRecursiveComparison().isEqualTo(bigPayloads());
        }
    }

    @Test
    void aSmallMessageIsOneFragment() throws Exception {
        try (IkeSaKeys keys = EncryptedMessageTest.keys("aes128gcm16-prfsha256-x25519"); SkCipher out = keys.cipher(true, RANDOM);
                SkCipher in = keys.cipher(true, RANDOM)) {
            List<byte[]> fragments = EncryptedMessageTest.ikeAuth().encryptFragments(out, 1280);
            assertThat(fragments).hasSize(1);
            IkeMessageDecoder.Fragment f = IkeMessageDecoder.openFragment(fragments.get(0), in);
            assertThat(reassembler().offer(f, 0)).isInstanceOf(Complete.class);
        }
    }

    @Test
    void fragmentsNeedTheRightKeys() throws Exception {
        try (IkeSaKeys keys = EncryptedMessageTest.keys("aes128gcm16-prfsha256-x25519"); SkCipher out = keys.cipher(true, RANDOM);
                SkCipher wrong = keys.cipher(false, RANDOM)) {
            byte[] fragment = big().encryptFragments(out, 1000).get(1);
            assertThatThrownBy(() -> IkeMessageDecoder.openFragment(fragment, wrong)).isInstanceOf(IkeParseException.class)
                    .satisfies(e -> assertThat(((IkeParseException) e).shouldAnswer()).isFalse());
            byte[] tampered = fragment.clone();
            tampered[33] ^= 1; // the fragment number is authenticated
            try (SkCipher in = keys.cipher(true, RANDOM)) {
                assertThatThrownBy(() -> IkeMessageDecoder.openFragment(tampered, in)).isInstanceOf(IkeParseException.class);
            }
        }
    }

    @Test
    void fragmentsAndWholeMessagesGoThroughTheirOwnDoors() throws Exception {
        try (IkeSaKeys keys = EncryptedMessageTest.keys("aes128gcm16-prfsha256-x25519"); SkCipher out = keys.cipher(true, RANDOM);
                SkCipher in = keys.cipher(true, RANDOM)) {
            byte[] fragment = big().encryptFragments(out, 1000).get(0);
            assertThatThrownBy(() -> IkeMessageDecoder.decrypt(fragment, in)).hasMessageContaining("openFragment");
            byte[] whole = EncryptedMessageTest.ikeAuth().encrypt(out);
            assertThatThrownBy(() -> IkeMessageDecoder.openFragment(whole, in)).hasMessageContaining("not a fragment message");
        }
    }

    @Test
    void tooSmallAFragmentSizeIsRefused() throws Exception {
        try (IkeSaKeys keys = EncryptedMessageTest.keys("aes128gcm16-prfsha256-x25519"); SkCipher out = keys.cipher(true, RANDOM)) {
            assertThatThrownBy(() -> big().encryptFragments(out, 28 + 8 + 8 + 16 + 1)).isInstanceOf(IllegalArgumentException.class);
            assertThat(big().encryptFragments(out, 28 + 8 + 8 + 16 + 2)).hasSizeGreaterThan(1000);
        }
    }

    // ---- the reassembler's rules, with hand-made fragments ----

    static IkeHeader header(int messageId) {
        return IkeHeader.of(1, 2, Ike.EXCHANGE_IKE_AUTH, Ike.FLAG_RESPONSE, messageId);
    }

    static byte[] part(int value, int length) {
        byte[] b = new byte[length];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void completesWhenTheLastMissingFragmentArrives() {
        FragmentReassembler r = reassembler();
        assertThat(r.offer(header(1), 2, 3, 0, part(2, 3), 0)).isEqualTo(new Incomplete(1, 3));
        assertThat(r.offer(header(1), 3, 3, 0, part(3, 1), 0)).isEqualTo(new Incomplete(2, 3));
        Complete c = (Complete) r.offer(header(1), 1, 3, Ike.PAYLOAD_IDR, part(1, 2), 0);
        assertThat(c.plaintext()).containsExactly(1, 1, 2, 2, 2, 3);
        assertThat(c.firstInnerType()).isEqualTo(Ike.PAYLOAD_IDR);
    }

    @Test
    void firstInnerTypeComesOnlyFromFragmentOne() {
        FragmentReassembler r = reassembler();
        r.offer(header(1), 1, 2, Ike.PAYLOAD_IDR, part(1, 2), 0);
        Complete c = (Complete) r.offer(header(1), 2, 2, Ike.PAYLOAD_CERT, part(2, 2), 0);
        assertThat(c.firstInnerType()).isEqualTo(Ike.PAYLOAD_IDR);
    }

    @Test
    void outOfRangeFragmentsAreDiscarded() {
        FragmentReassembler r = reassembler();
        assertThat(r.offer(header(1), 0, 3, 0, part(0, 1), 0)).isInstanceOf(Discarded.class);
        assertThat(r.offer(header(1), 4, 3, 0, part(0, 1), 0)).isInstanceOf(Discarded.class);
        assertThat(r.offer(header(1), 1, 0, 0, part(0, 1), 0)).isInstanceOf(Discarded.class);
        assertThat(((Discarded) r.offer(header(1), 5, 3, 0, part(0, 1), 0)).reason()).contains("out of range");
        assertThat(r.isActive()).isFalse();
    }

    @Test
    void tooManyFragmentsAreDiscarded() {
        FragmentReassembler r = new FragmentReassembler(4, 1000, SECOND);
        assertThat(((Discarded) r.offer(header(1), 1, 5, 0, part(0, 1), 0)).reason()).contains("exceed the limit of 4");
        assertThat(r.offer(header(1), 1, 4, 0, part(0, 1), 0)).isInstanceOf(Incomplete.class);
    }

    @Test
    void duplicatesAreDiscardedAndChangeNothing() {
        FragmentReassembler r = reassembler();
        r.offer(header(1), 1, 2, Ike.PAYLOAD_IDR, part(1, 2), 0);
        assertThat(((Discarded) r.offer(header(1), 1, 2, Ike.PAYLOAD_IDR, part(9, 2), 0)).reason()).contains("duplicate");
        Complete c = (Complete) r.offer(header(1), 2, 2, 0, part(2, 1), 0);
        assertThat(c.plaintext()).containsExactly(1, 1, 2);
    }

    @Test
    void totalSizeIsBounded() {
        FragmentReassembler r = new FragmentReassembler(10, 100, SECOND);
        assertThat(r.offer(header(1), 1, 3, 0, part(1, 60), 0)).isInstanceOf(Incomplete.class);
        assertThat(((Discarded) r.offer(header(1), 2, 3, 0, part(2, 41), 0)).reason()).contains("exceed 100 bytes");
        assertThat(r.isActive()).isFalse();
        assertThat(r.offer(header(1), 1, 2, 0, part(1, 100), 0)).isInstanceOf(Incomplete.class);
        assertThat(r.offer(header(1), 2, 2, 0, part(1, 1), 0)).isInstanceOf(Discarded.class);
    }

    @Test
    void aTimedOutReassemblyStartsOver() {
        FragmentReassembler r = new FragmentReassembler(10, 1000, 5 * SECOND);
        r.offer(header(1), 1, 2, Ike.PAYLOAD_IDR, part(1, 1), 0);
        assertThat(r.offer(header(1), 2, 2, 0, part(2, 1), 6 * SECOND)).isEqualTo(new Incomplete(1, 2));
        Complete c = (Complete) r.offer(header(1), 1, 2, Ike.PAYLOAD_IDR, part(3, 1), 7 * SECOND);
        assertThat(c.plaintext()).containsExactly(3, 2);
    }

    @Test
    void withinTheTimeoutItCompletes() {
        FragmentReassembler r = new FragmentReassembler(10, 1000, 5 * SECOND);
        r.offer(header(1), 1, 2, Ike.PAYLOAD_IDR, part(1, 1), 0);
        assertThat(r.offer(header(1), 2, 2, 0, part(2, 1), 5 * SECOND)).isInstanceOf(Complete.class);
    }

    @Test
    void anotherMessageIdStartsOver() {
        FragmentReassembler r = reassembler();
        r.offer(header(1), 1, 2, Ike.PAYLOAD_IDR, part(1, 1), 0);
        assertThat(r.offer(header(2), 2, 2, 0, part(2, 1), 0)).isEqualTo(new Incomplete(1, 2));
        assertThat(r.offer(header(2), 1, 2, Ike.PAYLOAD_IDR, part(3, 1), 0)).isInstanceOf(Complete.class);
    }

    @Test
    void moreTotalFragmentsRestartFewerAreStale() {
        FragmentReassembler r = reassembler();
        r.offer(header(1), 1, 2, Ike.PAYLOAD_IDR, part(1, 4), 0);
        // The sender re-split the message into 4 smaller fragments (RFC 7383 2.5.2): start over.
        assertThat(r.offer(header(1), 1, 4, Ike.PAYLOAD_IDR, part(5, 2), 0)).isEqualTo(new Incomplete(1, 4));
        // A late fragment of the old 2-fragment split is stale.
        assertThat(((Discarded) r.offer(header(1), 2, 2, 0, part(6, 4), 0)).reason()).contains("2-fragment split");
        r.offer(header(1), 2, 4, 0, part(7, 2), 0);
        r.offer(header(1), 3, 4, 0, part(8, 2), 0);
        Complete c = (Complete) r.offer(header(1), 4, 4, 0, part(9, 2), 0);
        assertThat(c.plaintext()).containsExactly(5, 5, 7, 7, 8, 8, 9, 9);
    }

    @Test
    void fragmentsOfTheCompletedMessageAreRetransmissions() {
        FragmentReassembler r = reassembler();
        r.offer(header(1), 1, 2, Ike.PAYLOAD_IDR, part(1, 1), 0);
        assertThat(r.offer(header(1), 2, 2, 0, part(2, 1), 0)).isInstanceOf(Complete.class);
        assertThat(((Discarded) r.offer(header(1), 1, 2, Ike.PAYLOAD_IDR, part(1, 1), 0)).reason())
                .contains("message 1 was already reassembled");
        assertThat(r.isActive()).isFalse();
        assertThat(r.offer(header(2), 1, 1, Ike.PAYLOAD_IDR, part(1, 1), 0)).isInstanceOf(Complete.class);
        assertThat(r.offer(header(-1), 1, 2, Ike.PAYLOAD_IDR, part(1, 1), 0)).isInstanceOf(Incomplete.class);
    }

    @Test
    void resetDropsThePartialMessage() {
        FragmentReassembler r = reassembler();
        r.offer(header(1), 1, 2, Ike.PAYLOAD_IDR, part(1, 1), 0);
        assertThat(r.isActive()).isTrue();
        r.reset();
        assertThat(r.isActive()).isFalse();
        assertThat(r.offer(header(1), 2, 2, 0, part(2, 1), 0)).isEqualTo(new Incomplete(1, 2));
    }

    @Test
    void boundsMustBePositive() {
        assertThatThrownBy(() -> new FragmentReassembler(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FragmentReassembler(1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FragmentReassembler(1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FragmentReassembler(70000, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
