package io.steadfast.ike.auth;

import io.steadfast.ike.crypto.PrfAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Pre-shared key authentication (RFC 7296 2.15): {@code AUTH = prf(prf(Shared Secret, "Key Pad for
 * IKEv2"), <SignedOctets>)}, auth method {@code Ike.AUTH_SHARED_KEY_MIC}. Verification compares in
 * constant time.
 *
 * <pre>{@code
 * AuthPayload auth = new AuthPayload(Ike.AUTH_SHARED_KEY_MIC, PskAuthenticator.compute(prf, psk, octets));
 * boolean ok = PskAuthenticator.verify(prf, psk, peerOctets, peerAuth.data());
 * }</pre>
 */
public final class PskAuthenticator {
    private PskAuthenticator() {}

    /** The 17 ASCII octets of the key pad, without a terminator. */
    static final byte[] KEY_PAD = "Key Pad for IKEv2".getBytes(StandardCharsets.US_ASCII);

    /** The AUTH data for {@code signedOctets} under the pre-shared key. */
    public static byte[] compute(PrfAlgorithm prf, byte[] psk, byte[] signedOctets) {
        if (psk.length == 0) {
            throw new IllegalArgumentException("the pre-shared key is empty");
        }
        byte[] padded = prf.compute(psk, KEY_PAD);
        try {
            return prf.compute(padded, signedOctets);
        } finally {
            Arrays.fill(padded, (byte) 0);
        }
    }

    /** Whether {@code received} is the AUTH data for {@code signedOctets}, compared in constant time. */
    public static boolean verify(PrfAlgorithm prf, byte[] psk, byte[] signedOctets, byte[] received) {
        byte[] expected = compute(prf, psk, signedOctets);
        try {
            return MessageDigest.isEqual(expected, received);
        } finally {
            Arrays.fill(expected, (byte) 0);
        }
    }
}
