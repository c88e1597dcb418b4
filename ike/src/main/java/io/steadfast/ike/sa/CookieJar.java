package io.steadfast.ike.sa;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless cookies for IKE_SA_INIT (RFC 7296 2.6): {@code version | HMAC-SHA256(secret_version, Ni | IPi | SPIi)}.
 * The secret changes every {@code rotateNanos}; a cookie made with the previous secret is still accepted, so
 * an initiator caught by a rotation is not turned away.
 *
 * <pre>{@code
 * CookieJar jar = new CookieJar(random, TimeUnit.MINUTES.toNanos(2), now);
 * byte[] cookie = jar.make(ni, source, spiI, now);
 * boolean ok = jar.check(cookie, ni, source, spiI, now);
 * }</pre>
 */
public final class CookieJar {
    private static final int VERSION_LENGTH = 4;
    private final SecureRandom random;
    private final long rotateNanos;
    private byte[] secret = new byte[32];
    private byte[] previous;
    private int version;
    private long rotatedAt;

    /** A jar with a fresh secret. */
    public CookieJar(SecureRandom random, long rotateNanos, long now) {
        this.random = random;
        this.rotateNanos = rotateNanos;
        random.nextBytes(secret);
        rotatedAt = now;
    }

    /** The cookie for this initiator. */
    public byte[] make(byte[] ni, InetSocketAddress source, long spiI, long now) {
        rotate(now);
        return cookie(version, secret, ni, source, spiI);
    }

    /** Whether {@code cookie} is one we made recently for this initiator (constant-time compare). */
    public boolean check(byte[] cookie, byte[] ni, InetSocketAddress source, long spiI, long now) {
        rotate(now);
        if (cookie.length != VERSION_LENGTH + 32) return false;
        int v = ByteBuffer.wrap(cookie).getInt();
        byte[] key = v == version ? secret : v == version - 1 ? previous : null;
        return key != null && MessageDigest.isEqual(cookie, cookie(v, key, ni, source, spiI));
    }

    private void rotate(long now) {
        if (now - rotatedAt < rotateNanos) return;
        if (previous != null) Arrays.fill(previous, (byte) 0);
        previous = secret;
        secret = new byte[32];
        random.nextBytes(secret);
        version++;
        rotatedAt = now;
    }

    private static byte[] cookie(int version, byte[] key, byte[] ni, InetSocketAddress source, long spiI) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(ni);
            mac.update(source.getAddress().getAddress());
            mac.update(ByteBuffer.allocate(8).putLong(spiI).array());
            return ByteBuffer.allocate(VERSION_LENGTH + 32).putInt(version).put(mac.doFinal()).array();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 missing from the JDK", e);
        }
    }
}
