package io.steadfast.ike.crypto;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The keys of an IKE SA (RFC 7296 2.14): {@code SKEYSEED = prf(Ni | Nr, g^ir)} and
 * {@code SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)}.
 * SK_d, SK_pi, SK_pr are as long as the PRF output; SK_a as the integrity key (none with AEAD); SK_e
 * is key plus salt for AEAD (RFC 5282 7.1). Accessors return copies; {@link #close()} zeroes them all.
 *
 * <pre>{@code
 * try (IkeSaKeys keys = IkeSaKeys.derive(suite, dh.sharedSecret(peerKe), ni, nr, spiI, spiR)) {
 *     SkCipher out = keys.cipher(true, random);   // what the initiator sends with
 *     SkCipher in = keys.cipher(false, random);   // what the responder sends with
 * }
 * }</pre>
 */
public final class IkeSaKeys implements AutoCloseable {
    private final IkeSuite suite;
    private final byte[] skD;
    private final byte[] skAi;
    private final byte[] skAr;
    private final byte[] skEi;
    private final byte[] skEr;
    private final byte[] skPi;
    private final byte[] skPr;

    private IkeSaKeys(IkeSuite suite, byte[] keymat) {
        this.suite = suite;
        int prfLength = suite.prf().outputLength();
        int integLength = suite.integrityKeyLength();
        int encrLength = suite.encryption().keyMaterialLength();
        int offset = 0;
        skD = Arrays.copyOfRange(keymat, offset, offset += prfLength);
        skAi = Arrays.copyOfRange(keymat, offset, offset += integLength);
        skAr = Arrays.copyOfRange(keymat, offset, offset += integLength);
        skEi = Arrays.copyOfRange(keymat, offset, offset += encrLength);
        skEr = Arrays.copyOfRange(keymat, offset, offset += encrLength);
        skPi = Arrays.copyOfRange(keymat, offset, offset += prfLength);
        skPr = Arrays.copyOfRange(keymat, offset, offset + prfLength);
    }

    /** Total length of the seven keys for a suite. */
    public static int keymatLength(IkeSuite suite) {
        return 3 * suite.prf().outputLength() + 2 * suite.integrityKeyLength() + 2 * suite.encryption().keyMaterialLength();
    }

    /** {@code SKEYSEED = prf(Ni | Nr, g^ir)} for a new IKE SA. */
    public static byte[] skeyseed(PrfAlgorithm prf, byte[] ni, byte[] nr, byte[] sharedSecret) {
        return prf.compute(concat(ni, nr), sharedSecret);
    }

    /** {@code SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)} when rekeying an IKE SA (2.18). */
    public static byte[] rekeySkeyseed(PrfAlgorithm oldPrf, byte[] oldSkD, byte[] sharedSecret, byte[] ni, byte[] nr) {
        return oldPrf.compute(oldSkD, sharedSecret, ni, nr);
    }

    /** Derives the keys of a new IKE SA from the Diffie-Hellman shared secret. */
    public static IkeSaKeys derive(IkeSuite suite, byte[] sharedSecret, byte[] ni, byte[] nr, long spiI, long spiR) {
        byte[] skeyseed = skeyseed(suite.prf(), ni, nr, sharedSecret);
        try {
            return fromSkeyseed(suite, skeyseed, ni, nr, spiI, spiR);
        } finally {
            Arrays.fill(skeyseed, (byte) 0);
        }
    }

    /** Derives the keys from a SKEYSEED (new or rekeyed IKE SA). */
    public static IkeSaKeys fromSkeyseed(IkeSuite suite, byte[] skeyseed, byte[] ni, byte[] nr, long spiI, long spiR) {
        byte[] seed = ByteBuffer.allocate(ni.length + nr.length + 16).put(ni).put(nr).putLong(spiI).putLong(spiR).array();
        byte[] keymat = PrfPlus.expand(suite.prf(), skeyseed, seed, keymatLength(suite));
        try {
            return new IkeSaKeys(suite, keymat);
        } finally {
            Arrays.fill(keymat, (byte) 0);
        }
    }

    /** The negotiated algorithms. */
    public IkeSuite suite() {
        return suite;
    }

    /** SK_d: keys Child SAs and the next IKE SA. */
    public byte[] skD() {
        return skD.clone();
    }

    /** SK_ai: integrity of the initiator's messages (empty with AEAD). */
    public byte[] skAi() {
        return skAi.clone();
    }

    /** SK_ar: integrity of the responder's messages. */
    public byte[] skAr() {
        return skAr.clone();
    }

    /** SK_ei: encryption of the initiator's messages (key | salt with AEAD). */
    public byte[] skEi() {
        return skEi.clone();
    }

    /** SK_er: encryption of the responder's messages. */
    public byte[] skEr() {
        return skEr.clone();
    }

    /** SK_pi: for the initiator's AUTH payload. */
    public byte[] skPi() {
        return skPi.clone();
    }

    /** SK_pr: for the responder's AUTH payload. */
    public byte[] skPr() {
        return skPr.clone();
    }

    /** The SK cipher for messages sent by the initiator ({@code initiatorSends}) or by the responder. */
    public SkCipher cipher(boolean initiatorSends, SecureRandom random) {
        return SkCipher.create(suite.encryption(), suite.integrity(), initiatorSends ? skEi : skEr,
                suite.integrity() == null ? null : initiatorSends ? skAi : skAr, random);
    }

    /** Zeroes all seven keys. */
    @Override
    public void close() {
        for (byte[] key : new byte[][] {skD, skAi, skAr, skEi, skEr, skPi, skPr}) {
            Arrays.fill(key, (byte) 0);
        }
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, offset, part.length);
            offset += part.length;
        }
        return out;
    }
}
