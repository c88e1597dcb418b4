package io.steadfast.esp;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The ESP transforms this library implements, named by strongSwan's ESP proposal keywords.
 *
 * <p>The keying material of an AEAD transform is the key followed by a 4-byte salt, the layout that
 * {@code ip xfrm state ... aead 'rfc4106(gcm(aes))' 0x<key||salt> 128} and Wireshark's ESP SA table use.
 *
 * <pre>{@code
 * EspAlgorithm alg = EspAlgorithm.fromKeyword("aes128gcm16");
 * byte[] keyMaterial = new byte[alg.keyMaterialLength()]; // 16 key + 4 salt, from IKE's KEYMAT
 * }</pre>
 */
public enum EspAlgorithm {
    /** AES-128 in GCM with a 16-octet ICV (RFC 4106). */
    AES128GCM16("aes128gcm16", 16, Esp.AEAD_SALT_LENGTH, Esp.AEAD_IV_LENGTH, Esp.AEAD_ICV_LENGTH, "aes128gcm128"),
    /** AES-256 in GCM with a 16-octet ICV (RFC 4106). */
    AES256GCM16("aes256gcm16", 32, Esp.AEAD_SALT_LENGTH, Esp.AEAD_IV_LENGTH, Esp.AEAD_ICV_LENGTH, "aes256gcm128"),
    /** ChaCha20 with Poly1305 (RFC 7634). */
    CHACHA20POLY1305("chacha20poly1305", 32, Esp.AEAD_SALT_LENGTH, Esp.AEAD_IV_LENGTH, Esp.AEAD_ICV_LENGTH),
    /** ENCR_NULL without integrity: cleartext, no IV, no ICV. For experiments only, never for real traffic. */
    NULL("null", 0, 0, 0, 0);

    private final String keyword;
    private final int keyLength;
    private final int saltLength;
    private final int ivLength;
    private final int icvLength;
    private final String[] aliases;

    EspAlgorithm(String keyword, int keyLength, int saltLength, int ivLength, int icvLength, String... aliases) {
        this.keyword = keyword;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.ivLength = ivLength;
        this.icvLength = icvLength;
        this.aliases = aliases;
    }

    /** strongSwan's proposal keyword, e.g. {@code aes128gcm16}. */
    public String keyword() {
        return keyword;
    }

    /** Length of the cipher key in bytes. */
    public int keyLength() {
        return keyLength;
    }

    /** Length of the salt that follows the key in the keying material. */
    public int saltLength() {
        return saltLength;
    }

    /** Length of the explicit IV carried in each packet. */
    public int ivLength() {
        return ivLength;
    }

    /** Length of the integrity check value at the end of each packet. */
    public int icvLength() {
        return icvLength;
    }

    /** Key plus salt: the length of the keying material an SA of this transform takes. */
    public int keyMaterialLength() {
        return keyLength + saltLength;
    }

    /** Whether packets are authenticated (every transform but {@link #NULL}). */
    public boolean isAuthenticated() {
        return icvLength > 0;
    }

    /** Bytes of ESP header and IV before the inner packet. */
    public int headerLength() {
        return Esp.HEADER_LENGTH + ivLength;
    }

    /** Most bytes sealing adds after the inner packet: padding, trailer and ICV. */
    public int maxTrailerLength() {
        return Esp.MAX_PAD_LENGTH + Esp.TRAILER_LENGTH + icvLength;
    }

    /** The transform named by a strongSwan keyword (case-insensitive); throws listing the known keywords. */
    public static EspAlgorithm fromKeyword(String keyword) {
        String wanted = keyword == null ? "" : keyword.trim().toLowerCase(Locale.ROOT);
        for (EspAlgorithm alg : values()) {
            if (alg.keyword.equals(wanted) || Arrays.asList(alg.aliases).contains(wanted)) {
                return alg;
            }
        }
        throw new IllegalArgumentException("unknown ESP algorithm '" + keyword + "'; known: "
                + Arrays.stream(values()).map(EspAlgorithm::keyword).collect(Collectors.joining(", ")));
    }
}
