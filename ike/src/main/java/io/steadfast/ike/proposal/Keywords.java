package io.steadfast.ike.proposal;

import io.steadfast.ike.Ike;
import io.steadfast.ike.crypto.DhGroup;
import io.steadfast.ike.crypto.EncryptionAlgorithm;
import io.steadfast.ike.crypto.IntegrityAlgorithm;
import io.steadfast.ike.crypto.PrfAlgorithm;
import io.steadfast.ike.payload.Transform;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** strongSwan's algorithm keywords for the transforms we implement, each way. */
final class Keywords {
    private Keywords() {}

    static final Map<String, EncryptionAlgorithm> ENCRYPTION = new LinkedHashMap<>();
    static final Map<String, IntegrityAlgorithm> INTEGRITY = new LinkedHashMap<>();
    static final Map<String, PrfAlgorithm> PRF = new LinkedHashMap<>();
    static final Map<String, DhGroup> DH = new LinkedHashMap<>();
    static final Map<String, Integer> ESN = new LinkedHashMap<>();

    static {
        for (EncryptionAlgorithm encr : EncryptionAlgorithm.values()) {
            ENCRYPTION.put(encr.keyword(), encr);
        }
        ENCRYPTION.put("aes128gcm128", EncryptionAlgorithm.AES128_GCM16);
        ENCRYPTION.put("aes256gcm128", EncryptionAlgorithm.AES256_GCM16);
        for (IntegrityAlgorithm integ : IntegrityAlgorithm.values()) {
            INTEGRITY.put(integ.keyword(), integ);
        }
        INTEGRITY.put("sha2_256", IntegrityAlgorithm.HMAC_SHA2_256_128);
        INTEGRITY.put("sha2_384", IntegrityAlgorithm.HMAC_SHA2_384_192);
        INTEGRITY.put("sha2_512", IntegrityAlgorithm.HMAC_SHA2_512_256);
        for (PrfAlgorithm prf : PrfAlgorithm.values()) {
            PRF.put(prf.keyword(), prf);
        }
        for (DhGroup group : DhGroup.values()) {
            DH.put(group.keyword(), group);
        }
        DH.put("curve25519", DhGroup.CURVE25519);
        ESN.put("noesn", Ike.ESN_NO);
        ESN.put("esn", Ike.ESN_YES);
    }

    /** "encryption aes128, ...; integrity sha256, ...; ..." for error messages. */
    static String supported(boolean ike) {
        String common = "encryption " + String.join(", ", ike ? ENCRYPTION.keySet() : espEncryption())
                + "; dh " + String.join(", ", DH.keySet());
        return ike ? common + "; integrity " + String.join(", ", INTEGRITY.keySet()) + "; prf " + String.join(", ", PRF.keySet())
                : common + "; esn, noesn";
    }

    private static Iterable<String> espEncryption() {
        return ENCRYPTION.entrySet().stream().filter(e -> e.getValue().espAlgorithm() != null).map(Map.Entry::getKey)
                .collect(Collectors.toList());
    }

    /** The keyword for a transform, or an upper-case IANA name for one we have no keyword for. */
    static String of(Transform t) {
        String keyword = switch (t.type()) {
            case Ike.TRANSFORM_ENCR -> {
                EncryptionAlgorithm encr = EncryptionAlgorithm.fromTransform(t);
                yield encr == null ? null : encr.keyword();
            }
            case Ike.TRANSFORM_INTEG -> {
                IntegrityAlgorithm integ = IntegrityAlgorithm.byId(t.id());
                yield integ == null ? null : integ.keyword();
            }
            case Ike.TRANSFORM_PRF -> {
                PrfAlgorithm prf = PrfAlgorithm.byId(t.id());
                yield prf == null ? null : prf.keyword();
            }
            case Ike.TRANSFORM_DH -> {
                DhGroup group = DhGroup.byId(t.id());
                yield group == null ? null : group.keyword();
            }
            case Ike.TRANSFORM_ESN -> t.id() == Ike.ESN_YES ? "esn" : t.id() == Ike.ESN_NO ? "noesn" : null;
            default -> null;
        };
        if (keyword != null && !t.unknownAttributes()) {
            return keyword;
        }
        return Ike.transformName(t.type(), t.id()) + (t.keyLength() > 0 ? "_" + t.keyLength() : "");
    }
}
