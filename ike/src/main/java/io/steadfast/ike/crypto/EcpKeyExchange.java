package io.steadfast.ike.crypto;

import io.steadfast.ike.IkeParseException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;

/**
 * Group 19, NIST P-256 (RFC 5903): the KE value is x | y (32 bytes each, no point-format octet), the
 * shared secret the x coordinate of the shared point. JCE ECDH does the work; Bouncy Castle only derives
 * the public point of a given private key (for known-answer tests), which JCE cannot.
 */
final class EcpKeyExchange implements KeyExchange {
    private static final int COORDINATE = 32;
    private static final ECParameterSpec PARAMS = params();
    private static final BigInteger FIELD_P = ((ECFieldFp) PARAMS.getCurve().getField()).getP();

    private PrivateKey privateKey;
    private final byte[] publicValue;

    private EcpKeyExchange(PrivateKey privateKey, BigInteger x, BigInteger y) {
        this.privateKey = privateKey;
        this.publicValue = new byte[2 * COORDINATE];
        put(x, publicValue, 0);
        put(y, publicValue, COORDINATE);
    }

    static EcpKeyExchange generate(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair pair = generator.generateKeyPair();
            ECPoint w = ((ECPublicKey) pair.getPublic()).getW();
            return new EcpKeyExchange(pair.getPrivate(), w.getAffineX(), w.getAffineY());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 missing from the JDK", e);
        }
    }

    static EcpKeyExchange fromPrivateKey(byte[] scalar) {
        BigInteger d = new BigInteger(1, scalar);
        if (d.signum() == 0 || d.compareTo(PARAMS.getOrder()) >= 0) {
            throw new IllegalArgumentException("P-256 private key out of range");
        }
        X9ECParameters curve = CustomNamedCurves.getByName("secp256r1");
        org.bouncycastle.math.ec.ECPoint q = curve.getG().multiply(d).normalize();
        try {
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, PARAMS));
            return new EcpKeyExchange(key, q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public DhGroup group() {
        return DhGroup.ECP_256;
    }

    @Override
    public byte[] publicValue() {
        return publicValue.clone();
    }

    @Override
    public byte[] sharedSecret(byte[] peerPublicValue) throws IkeParseException {
        if (privateKey == null) {
            throw new IllegalStateException("key exchange closed");
        }
        if (peerPublicValue.length != 2 * COORDINATE) {
            throw IkeParseException.syntax("ECP-256 public value of " + peerPublicValue.length + " bytes, not 64");
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(peerPublicValue, 0, COORDINATE));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(peerPublicValue, COORDINATE, 2 * COORDINATE));
        if (!onCurve(x, y)) {
            throw IkeParseException.syntax("ECP-256 public value is not a point on the curve");
        }
        try {
            ECPublicKeySpec spec = new ECPublicKeySpec(new ECPoint(x, y), PARAMS);
            KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
            agreement.init(privateKey);
            agreement.doPhase(KeyFactory.getInstance("EC").generatePublic(spec), true);
            byte[] secret = agreement.generateSecret();
            if (secret.length == COORDINATE) {
                return secret;
            }
            byte[] padded = new byte[COORDINATE];
            put(new BigInteger(1, secret), padded, 0);
            Arrays.fill(secret, (byte) 0);
            return padded;
        } catch (GeneralSecurityException e) {
            throw IkeParseException.syntax("ECP-256 public value refused: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        privateKey = null; // JCE EC private keys cannot be wiped; drop the reference
    }

    /** 0 <= x, y < p and y^2 = x^3 + ax + b (mod p): rejects invalid-curve points before JCE sees them. */
    static boolean onCurve(BigInteger x, BigInteger y) {
        if (x.compareTo(FIELD_P) >= 0 || y.compareTo(FIELD_P) >= 0) {
            return false;
        }
        BigInteger a = PARAMS.getCurve().getA();
        BigInteger b = PARAMS.getCurve().getB();
        BigInteger left = y.multiply(y).mod(FIELD_P);
        BigInteger right = x.pow(3).add(a.multiply(x)).add(b).mod(FIELD_P);
        return left.equals(right);
    }

    private static void put(BigInteger value, byte[] out, int offset) {
        byte[] raw = value.toByteArray();
        int copy = Math.min(raw.length, COORDINATE);
        System.arraycopy(raw, raw.length - copy, out, offset + COORDINATE - copy, copy);
    }

    private static ECParameterSpec params() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
