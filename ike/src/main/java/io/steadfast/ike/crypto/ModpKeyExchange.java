package io.steadfast.ike.crypto;

import io.steadfast.ike.IkeParseException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;

/** Group 14, the 2048-bit MODP group of RFC 3526 section 3 (generator 2), with BigInteger arithmetic. */
final class ModpKeyExchange implements KeyExchange {
    /** The RFC 3526 2048-bit prime: 2^2048 - 2^1984 - 1 + 2^64 * ( [2^1918 pi] + 124476 ). */
    static final BigInteger P = new BigInteger("""
            FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD\
            EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED\
            EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F\
            83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B\
            E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510\
            15728E5A8AACAA68FFFFFFFFFFFFFFFF""", 16);
    private static final BigInteger G = BigInteger.TWO;
    private static final int LENGTH = 256;
    /** Exponent length: twice the group's strength of about 112 bits, with a wide margin. */
    private static final int EXPONENT_BITS = 512;

    private BigInteger exponent;
    private final byte[] publicValue;

    private ModpKeyExchange(BigInteger exponent) {
        if (exponent.signum() <= 0 || exponent.compareTo(P.subtract(BigInteger.ONE)) >= 0) {
            throw new IllegalArgumentException("exponent out of range");
        }
        this.exponent = exponent;
        this.publicValue = leftPad(G.modPow(exponent, P));
    }

    static ModpKeyExchange generate(SecureRandom random) {
        BigInteger x;
        do {
            x = new BigInteger(EXPONENT_BITS, random);
        } while (x.bitLength() < EXPONENT_BITS - 8);
        return new ModpKeyExchange(x);
    }

    static ModpKeyExchange fromPrivateKey(byte[] exponent) {
        return new ModpKeyExchange(new BigInteger(1, exponent));
    }

    @Override
    public DhGroup group() {
        return DhGroup.MODP_2048;
    }

    @Override
    public byte[] publicValue() {
        return publicValue.clone();
    }

    @Override
    public byte[] sharedSecret(byte[] peerPublicValue) throws IkeParseException {
        if (exponent == null) {
            throw new IllegalStateException("key exchange closed");
        }
        if (peerPublicValue.length != LENGTH) {
            throw IkeParseException.syntax("MODP-2048 public value of " + peerPublicValue.length + " bytes, not 256");
        }
        BigInteger y = new BigInteger(1, peerPublicValue);
        // 1 < y < p-1 (NIST SP 800-56A 5.6.2.3.1): rejects the degenerate values 0, 1, p-1 and out of range.
        if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(P.subtract(BigInteger.ONE)) >= 0) {
            throw IkeParseException.syntax("MODP-2048 public value out of range");
        }
        return leftPad(y.modPow(exponent, P));
    }

    @Override
    public void close() {
        exponent = null; // BigInteger is immutable: dropping the reference is all we can do
    }

    /** Big-endian, left-padded with zeros to 256 bytes (RFC 7296 2.14: g^ir is as long as the prime). */
    static byte[] leftPad(BigInteger value) {
        byte[] raw = value.toByteArray();
        if (raw.length == LENGTH) {
            return raw;
        }
        byte[] out = new byte[LENGTH];
        int copy = Math.min(raw.length, LENGTH);
        System.arraycopy(raw, raw.length - copy, out, LENGTH - copy, copy);
        Arrays.fill(raw, (byte) 0);
        return out;
    }
}
