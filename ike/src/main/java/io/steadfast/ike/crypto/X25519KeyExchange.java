package io.steadfast.ike.crypto;

import io.steadfast.ike.IkeParseException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/**
 * Group 31, Curve25519 (RFC 8031, RFC 7748) with JCE XDH. KE data and the shared secret are 32-byte
 * little-endian u-coordinates; the top bit of a received u is masked (RFC 7748 5) and an all-zero shared
 * secret is refused (RFC 8031 2.2). We draw the scalar ourselves so that {@link #close()} can wipe it.
 */
final class X25519KeyExchange implements KeyExchange {
    private static final int LENGTH = 32;
    private static final byte[] BASE_POINT = new byte[LENGTH];

    static {
        BASE_POINT[0] = 9;
    }

    private final byte[] scalar;
    private final byte[] publicValue;
    private boolean closed;

    private X25519KeyExchange(byte[] scalar) {
        if (scalar.length != LENGTH) {
            throw new IllegalArgumentException("an X25519 private key has 32 bytes, not " + scalar.length);
        }
        this.scalar = scalar.clone();
        try {
            this.publicValue = x25519(this.scalar, BASE_POINT);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 missing from the JDK", e);
        }
    }

    static X25519KeyExchange generate(SecureRandom random) {
        byte[] scalar = new byte[LENGTH];
        random.nextBytes(scalar);
        try {
            return new X25519KeyExchange(scalar);
        } finally {
            Arrays.fill(scalar, (byte) 0);
        }
    }

    static X25519KeyExchange fromPrivateKey(byte[] scalar) {
        return new X25519KeyExchange(scalar);
    }

    @Override
    public DhGroup group() {
        return DhGroup.CURVE25519;
    }

    @Override
    public byte[] publicValue() {
        return publicValue.clone();
    }

    @Override
    public byte[] sharedSecret(byte[] peerPublicValue) throws IkeParseException {
        if (closed) {
            throw new IllegalStateException("key exchange closed");
        }
        if (peerPublicValue.length != LENGTH) {
            throw IkeParseException.syntax("Curve25519 public value of " + peerPublicValue.length + " bytes, not 32");
        }
        byte[] secret;
        try {
            secret = x25519(scalar, peerPublicValue);
        } catch (GeneralSecurityException e) {
            throw IkeParseException.syntax("Curve25519 public value refused: " + e.getMessage());
        }
        int or = 0;
        for (byte b : secret) {
            or |= b;
        }
        if (or == 0) {
            throw IkeParseException.syntax("Curve25519 shared secret is all zero (small-order public value)");
        }
        return secret;
    }

    @Override
    public void close() {
        closed = true;
        Arrays.fill(scalar, (byte) 0);
    }

    /** X25519(k, u) with JCE: both little-endian 32-byte strings, u's top bit masked. */
    static byte[] x25519(byte[] k, byte[] u) throws GeneralSecurityException {
        KeyFactory factory = KeyFactory.getInstance("XDH");
        PrivateKey privateKey = factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, k));
        byte[] bigEndian = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            bigEndian[i] = u[LENGTH - 1 - i];
        }
        bigEndian[0] &= 0x7F;
        XECPublicKeySpec peer = new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, bigEndian));
        KeyAgreement agreement = KeyAgreement.getInstance("XDH");
        agreement.init(privateKey);
        agreement.doPhase(factory.generatePublic(peer), true);
        return agreement.generateSecret();
    }
}
