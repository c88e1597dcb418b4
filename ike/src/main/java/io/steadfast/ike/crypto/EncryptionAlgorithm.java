package io.steadfast.ike.crypto;

import io.steadfast.esp.EspAlgorithm;
import io.steadfast.ike.Ike;
import io.steadfast.ike.payload.Transform;

/**
 * The encryption transforms we negotiate, for the IKE SA (SK payloads) and, the AEAD ones, for ESP.
 * AEAD key material is the key followed by a 4-byte salt (RFC 5282 7.1, RFC 7634 2), which is also the
 * layout of {@link EspAlgorithm#keyMaterialLength()}.
 *
 * <pre>{@code
 * EncryptionAlgorithm encr = EncryptionAlgorithm.fromTransform(chosen.first(Ike.TRANSFORM_ENCR));
 * int skEiLength = encr.keyMaterialLength(); // 20 for aes128gcm16
 * }</pre>
 */
public enum EncryptionAlgorithm {
    /** AES-128-CBC (RFC 3602); needs an integrity algorithm. */
    AES128_CBC("aes128", Ike.ENCR_AES_CBC, 128, 16, 0, 16, 0, null),
    /** AES-256-CBC. */
    AES256_CBC("aes256", Ike.ENCR_AES_CBC, 256, 32, 0, 16, 0, null),
    /** AES-128-GCM with a 16-octet ICV (RFC 5282). */
    AES128_GCM16("aes128gcm16", Ike.ENCR_AES_GCM_16, 128, 16, 4, 8, 16, EspAlgorithm.AES128GCM16),
    /** AES-256-GCM with a 16-octet ICV. */
    AES256_GCM16("aes256gcm16", Ike.ENCR_AES_GCM_16, 256, 32, 4, 8, 16, EspAlgorithm.AES256GCM16),
    /** ChaCha20-Poly1305 (RFC 7634), no key length attribute. */
    CHACHA20_POLY1305("chacha20poly1305", Ike.ENCR_CHACHA20_POLY1305, 0, 32, 4, 8, 16, EspAlgorithm.CHACHA20POLY1305);

    private final String keyword;
    private final int transformId;
    private final int keyLengthAttribute;
    private final int keyLength;
    private final int saltLength;
    private final int ivLength;
    private final int icvLength;
    private final EspAlgorithm espAlgorithm;

    EncryptionAlgorithm(String keyword, int transformId, int keyLengthAttribute, int keyLength, int saltLength,
            int ivLength, int icvLength, EspAlgorithm espAlgorithm) {
        this.keyword = keyword;
        this.transformId = transformId;
        this.keyLengthAttribute = keyLengthAttribute;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.ivLength = ivLength;
        this.icvLength = icvLength;
        this.espAlgorithm = espAlgorithm;
    }

    /** strongSwan's keyword, e.g. {@code aes128gcm16}. */
    public String keyword() {
        return keyword;
    }

    /** IANA transform ID (type ENCR). */
    public int transformId() {
        return transformId;
    }

    /** Cipher key length in bytes (without salt). */
    public int keyLength() {
        return keyLength;
    }

    /** Salt length in bytes after the key (AEAD), else 0. */
    public int saltLength() {
        return saltLength;
    }

    /** Key plus salt: the length of SK_e and of each direction's ESP encryption key material. */
    public int keyMaterialLength() {
        return keyLength + saltLength;
    }

    /** Length of the IV in an SK payload. */
    public int ivLength() {
        return ivLength;
    }

    /** ICV length of a combined-mode cipher, 0 for CBC (its ICV comes from the integrity algorithm). */
    public int icvLength() {
        return icvLength;
    }

    /** Whether this is a combined-mode (AEAD) cipher, which takes no integrity algorithm. */
    public boolean isAead() {
        return icvLength > 0;
    }

    /** The esp module's transform, or null if ESP cannot use this one. */
    public EspAlgorithm espAlgorithm() {
        return espAlgorithm;
    }

    /** The transform for an SA payload, with the key length attribute where the cipher takes one. */
    public Transform transform() {
        return Transform.of(Ike.TRANSFORM_ENCR, transformId, keyLengthAttribute);
    }

    /** The algorithm an ENCR transform names, or null if we do not implement it. */
    public static EncryptionAlgorithm fromTransform(Transform transform) {
        if (transform == null || transform.type() != Ike.TRANSFORM_ENCR || transform.unknownAttributes()) {
            return null;
        }
        for (EncryptionAlgorithm encr : values()) {
            if (encr.transformId == transform.id() && encr.keyLengthAttribute == transform.keyLength()) {
                return encr;
            }
        }
        return null;
    }
}
