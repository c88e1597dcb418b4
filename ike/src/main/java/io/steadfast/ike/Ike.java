package io.steadfast.ike;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * Protocol constants of IKEv2 (RFC 7296) and the extensions we speak: AES-GCM (RFC 5282), ECP groups
 * (RFC 5903), Curve25519 (RFC 8031), signature authentication (RFC 7427), fragmentation (RFC 7383).
 * Numbers are IANA's "Internet Key Exchange Version 2 (IKEv2) Parameters". Names for log lines come from
 * {@link #exchangeName}, {@link #payloadName}, {@link #notifyName} and {@link #transformName}.
 */
public final class Ike {
    private Ike() {}

    // ---- header (RFC 7296 3.1) ----

    /** Length of the IKE header. */
    public static final int HEADER_LENGTH = 28;
    /** Length of the generic payload header (RFC 7296 3.2). */
    public static final int GENERIC_HEADER_LENGTH = 4;
    /** Major version of IKEv2. */
    public static final int MAJOR_VERSION = 2;
    /** Minor version we send. */
    public static final int MINOR_VERSION = 0;
    /** Length of an IKE SA SPI. */
    public static final int IKE_SPI_LENGTH = 8;
    /** Length of an ESP or AH SPI. */
    public static final int CHILD_SPI_LENGTH = 4;
    /** Flag: the sender is the original initiator of the IKE SA. */
    public static final int FLAG_INITIATOR = 0x08;
    /** Flag: the sender could speak a higher major version (never set by us). */
    public static final int FLAG_VERSION = 0x10;
    /** Flag: this message is a response. */
    public static final int FLAG_RESPONSE = 0x20;
    /** Critical bit in the generic payload header (RFC 7296 3.2). */
    public static final int CRITICAL_BIT = 0x80;
    /** The 4 zero bytes before IKE messages on port 4500 (RFC 3948 2.2). */
    public static final int NON_ESP_MARKER_LENGTH = 4;

    // ---- exchange types (RFC 7296 3.1) ----

    /** IKE_SA_INIT: algorithms, nonces, Diffie-Hellman. */
    public static final int EXCHANGE_IKE_SA_INIT = 34;
    /** IKE_AUTH: identities, authentication, the first Child SA. */
    public static final int EXCHANGE_IKE_AUTH = 35;
    /** CREATE_CHILD_SA: new or rekeyed Child SAs, IKE SA rekey. */
    public static final int EXCHANGE_CREATE_CHILD_SA = 36;
    /** INFORMATIONAL: deletes, errors, liveness checks. */
    public static final int EXCHANGE_INFORMATIONAL = 37;
    /** IKE_INTERMEDIATE (RFC 9242). */
    public static final int EXCHANGE_IKE_INTERMEDIATE = 43;

    // ---- payload types (RFC 7296 3.2, RFC 7383 2.5) ----

    /** No next payload. */
    public static final int PAYLOAD_NONE = 0;
    /** SA: security association proposals. */
    public static final int PAYLOAD_SA = 33;
    /** KE: key exchange. */
    public static final int PAYLOAD_KE = 34;
    /** IDi: identification of the initiator. */
    public static final int PAYLOAD_IDI = 35;
    /** IDr: identification of the responder. */
    public static final int PAYLOAD_IDR = 36;
    /** CERT: certificate. */
    public static final int PAYLOAD_CERT = 37;
    /** CERTREQ: certificate request. */
    public static final int PAYLOAD_CERTREQ = 38;
    /** AUTH: authentication. */
    public static final int PAYLOAD_AUTH = 39;
    /** Ni, Nr: nonce. */
    public static final int PAYLOAD_NONCE = 40;
    /** N: notify. */
    public static final int PAYLOAD_NOTIFY = 41;
    /** D: delete. */
    public static final int PAYLOAD_DELETE = 42;
    /** V: vendor ID. */
    public static final int PAYLOAD_VENDOR_ID = 43;
    /** TSi: traffic selectors of the initiator. */
    public static final int PAYLOAD_TSI = 44;
    /** TSr: traffic selectors of the responder. */
    public static final int PAYLOAD_TSR = 45;
    /** SK: encrypted and authenticated. */
    public static final int PAYLOAD_SK = 46;
    /** CP: configuration. */
    public static final int PAYLOAD_CP = 47;
    /** EAP: extensible authentication (not implemented; skipped when not critical). */
    public static final int PAYLOAD_EAP = 48;
    /** SKF: encrypted and authenticated fragment (RFC 7383). */
    public static final int PAYLOAD_SKF = 53;

    // ---- security protocol identifiers (RFC 7296 3.3.1) ----

    /** Protocol ID of the IKE SA. */
    public static final int PROTOCOL_IKE = 1;
    /** Protocol ID of AH. */
    public static final int PROTOCOL_AH = 2;
    /** Protocol ID of ESP. */
    public static final int PROTOCOL_ESP = 3;

    // ---- transform types (RFC 7296 3.3.2) ----

    /** Encryption algorithm (ENCR). */
    public static final int TRANSFORM_ENCR = 1;
    /** Pseudorandom function (PRF). */
    public static final int TRANSFORM_PRF = 2;
    /** Integrity algorithm (INTEG). */
    public static final int TRANSFORM_INTEG = 3;
    /** Diffie-Hellman group (D-H, "key exchange method" since RFC 9370). */
    public static final int TRANSFORM_DH = 4;
    /** Extended sequence numbers (ESN). */
    public static final int TRANSFORM_ESN = 5;

    /** ENCR_AES_CBC (RFC 3602), takes a key length attribute. */
    public static final int ENCR_AES_CBC = 12;
    /** ENCR_AES_GCM_16: AES-GCM with a 16-octet ICV (RFC 5282, RFC 4106), takes a key length attribute. */
    public static final int ENCR_AES_GCM_16 = 20;
    /** ENCR_CHACHA20_POLY1305 (RFC 7634). */
    public static final int ENCR_CHACHA20_POLY1305 = 28;
    /** ENCR_NULL (RFC 2410). */
    public static final int ENCR_NULL = 11;

    /** PRF_HMAC_SHA1 (RFC 2104). */
    public static final int PRF_HMAC_SHA1 = 2;
    /** PRF_HMAC_SHA2_256 (RFC 4868). */
    public static final int PRF_HMAC_SHA2_256 = 5;
    /** PRF_HMAC_SHA2_384 (RFC 4868). */
    public static final int PRF_HMAC_SHA2_384 = 6;
    /** PRF_HMAC_SHA2_512 (RFC 4868). */
    public static final int PRF_HMAC_SHA2_512 = 7;

    /** No integrity algorithm (with combined-mode ciphers). */
    public static final int INTEG_NONE = 0;
    /** AUTH_HMAC_SHA1_96 (RFC 2404). */
    public static final int INTEG_HMAC_SHA1_96 = 2;
    /** AUTH_HMAC_SHA2_256_128 (RFC 4868). */
    public static final int INTEG_HMAC_SHA2_256_128 = 12;
    /** AUTH_HMAC_SHA2_384_192 (RFC 4868). */
    public static final int INTEG_HMAC_SHA2_384_192 = 13;
    /** AUTH_HMAC_SHA2_512_256 (RFC 4868). */
    public static final int INTEG_HMAC_SHA2_512_256 = 14;

    /** No Diffie-Hellman group (Child SA without PFS). */
    public static final int DH_NONE = 0;
    /** 2048-bit MODP group (RFC 3526). */
    public static final int DH_MODP_2048 = 14;
    /** 3072-bit MODP group (RFC 3526; named only). */
    public static final int DH_MODP_3072 = 15;
    /** 256-bit random ECP group, NIST P-256 (RFC 5903). */
    public static final int DH_ECP_256 = 19;
    /** 384-bit random ECP group, NIST P-384 (RFC 5903; named only). */
    public static final int DH_ECP_384 = 20;
    /** Curve25519 (RFC 8031). */
    public static final int DH_CURVE25519 = 31;
    /** Curve448 (RFC 8031; named only). */
    public static final int DH_CURVE448 = 32;

    /** No extended sequence numbers. */
    public static final int ESN_NO = 0;
    /** Extended sequence numbers. */
    public static final int ESN_YES = 1;

    /** Transform attribute type Key Length, in TV format (RFC 7296 3.3.5). */
    public static final int ATTRIBUTE_KEY_LENGTH = 14;
    /** Attribute format bit: TV (type/value) rather than TLV. */
    public static final int ATTRIBUTE_FORMAT_TV = 0x8000;

    // ---- identification types (RFC 7296 3.5) ----

    /** ID_IPV4_ADDR: four octets. */
    public static final int ID_IPV4_ADDR = 1;
    /** ID_FQDN: a domain name, no terminator. */
    public static final int ID_FQDN = 2;
    /** ID_RFC822_ADDR: an e-mail address. */
    public static final int ID_RFC822_ADDR = 3;
    /** ID_IPV6_ADDR: sixteen octets. */
    public static final int ID_IPV6_ADDR = 5;
    /** ID_DER_ASN1_DN: a DER-encoded X.500 distinguished name. */
    public static final int ID_DER_ASN1_DN = 9;
    /** ID_DER_ASN1_GN: a DER-encoded X.500 general name. */
    public static final int ID_DER_ASN1_GN = 10;
    /** ID_KEY_ID: opaque octets. */
    public static final int ID_KEY_ID = 11;

    // ---- certificate encodings (RFC 7296 3.6) ----

    /** X.509 Certificate - Signature (DER). */
    public static final int CERT_X509_SIGNATURE = 4;
    /** Certificate Revocation List (CRL). */
    public static final int CERT_CRL = 7;
    /** Hash and URL of X.509 certificate. */
    public static final int CERT_HASH_AND_URL_X509 = 12;

    // ---- authentication methods (RFC 7296 3.8, RFC 7427) ----

    /** RSA digital signature (PKCS#1 v1.5 over SHA-1). */
    public static final int AUTH_RSA_SIGNATURE = 1;
    /** Shared key message integrity code (PSK). */
    public static final int AUTH_SHARED_KEY_MIC = 2;
    /** DSS digital signature. */
    public static final int AUTH_DSS_SIGNATURE = 3;
    /** ECDSA with SHA-256 on P-256 (RFC 4754). */
    public static final int AUTH_ECDSA_SHA256_P256 = 9;
    /** ECDSA with SHA-384 on P-384 (RFC 4754). */
    public static final int AUTH_ECDSA_SHA384_P384 = 10;
    /** ECDSA with SHA-512 on P-521 (RFC 4754). */
    public static final int AUTH_ECDSA_SHA512_P521 = 11;
    /** Digital signature (RFC 7427): an AlgorithmIdentifier precedes the signature. */
    public static final int AUTH_DIGITAL_SIGNATURE = 14;

    /** Hash algorithm SHA1 in SIGNATURE_HASH_ALGORITHMS (RFC 7427 7). */
    public static final int HASH_SHA1 = 1;
    /** Hash algorithm SHA2-256. */
    public static final int HASH_SHA2_256 = 2;
    /** Hash algorithm SHA2-384. */
    public static final int HASH_SHA2_384 = 3;
    /** Hash algorithm SHA2-512. */
    public static final int HASH_SHA2_512 = 4;
    /** Hash algorithm Identity (RFC 8420). */
    public static final int HASH_IDENTITY = 5;

    // ---- traffic selector types (RFC 7296 3.13.1) ----

    /** TS_IPV4_ADDR_RANGE. */
    public static final int TS_IPV4_ADDR_RANGE = 7;
    /** TS_IPV6_ADDR_RANGE. */
    public static final int TS_IPV6_ADDR_RANGE = 8;

    // ---- configuration payload (RFC 7296 3.15) ----

    /** CFG_REQUEST. */
    public static final int CFG_REQUEST = 1;
    /** CFG_REPLY. */
    public static final int CFG_REPLY = 2;
    /** CFG_SET. */
    public static final int CFG_SET = 3;
    /** CFG_ACK. */
    public static final int CFG_ACK = 4;

    /** INTERNAL_IP4_ADDRESS: empty in a request, the virtual IP in a reply. */
    public static final int ATTR_INTERNAL_IP4_ADDRESS = 1;
    /** INTERNAL_IP4_NETMASK. */
    public static final int ATTR_INTERNAL_IP4_NETMASK = 2;
    /** INTERNAL_IP4_DNS. */
    public static final int ATTR_INTERNAL_IP4_DNS = 3;
    /** INTERNAL_IP4_NBNS. */
    public static final int ATTR_INTERNAL_IP4_NBNS = 4;
    /** INTERNAL_IP4_DHCP. */
    public static final int ATTR_INTERNAL_IP4_DHCP = 6;
    /** APPLICATION_VERSION. */
    public static final int ATTR_APPLICATION_VERSION = 7;
    /** INTERNAL_IP6_ADDRESS. */
    public static final int ATTR_INTERNAL_IP6_ADDRESS = 8;
    /** INTERNAL_IP6_DNS. */
    public static final int ATTR_INTERNAL_IP6_DNS = 10;
    /** INTERNAL_IP4_SUBNET. */
    public static final int ATTR_INTERNAL_IP4_SUBNET = 13;
    /** SUPPORTED_ATTRIBUTES. */
    public static final int ATTR_SUPPORTED_ATTRIBUTES = 14;

    // ---- notify message types (RFC 7296 3.10.1); errors are below 16384 ----

    /** UNSUPPORTED_CRITICAL_PAYLOAD; data: the one-octet payload type. */
    public static final int NOTIFY_UNSUPPORTED_CRITICAL_PAYLOAD = 1;
    /** INVALID_IKE_SPI. */
    public static final int NOTIFY_INVALID_IKE_SPI = 4;
    /** INVALID_MAJOR_VERSION; data: none (the header carries our highest version). */
    public static final int NOTIFY_INVALID_MAJOR_VERSION = 5;
    /** INVALID_SYNTAX. */
    public static final int NOTIFY_INVALID_SYNTAX = 7;
    /** INVALID_MESSAGE_ID; data: the four-octet message ID. */
    public static final int NOTIFY_INVALID_MESSAGE_ID = 9;
    /** INVALID_SPI; data: the SPI. */
    public static final int NOTIFY_INVALID_SPI = 11;
    /** NO_PROPOSAL_CHOSEN. */
    public static final int NOTIFY_NO_PROPOSAL_CHOSEN = 14;
    /** INVALID_KE_PAYLOAD; data: the two-octet DH group the responder wants. */
    public static final int NOTIFY_INVALID_KE_PAYLOAD = 17;
    /** AUTHENTICATION_FAILED. */
    public static final int NOTIFY_AUTHENTICATION_FAILED = 24;
    /** SINGLE_PAIR_REQUIRED. */
    public static final int NOTIFY_SINGLE_PAIR_REQUIRED = 34;
    /** NO_ADDITIONAL_SAS. */
    public static final int NOTIFY_NO_ADDITIONAL_SAS = 35;
    /** INTERNAL_ADDRESS_FAILURE. */
    public static final int NOTIFY_INTERNAL_ADDRESS_FAILURE = 36;
    /** FAILED_CP_REQUIRED. */
    public static final int NOTIFY_FAILED_CP_REQUIRED = 37;
    /** TS_UNACCEPTABLE. */
    public static final int NOTIFY_TS_UNACCEPTABLE = 38;
    /** INVALID_SELECTORS. */
    public static final int NOTIFY_INVALID_SELECTORS = 39;
    /** TEMPORARY_FAILURE. */
    public static final int NOTIFY_TEMPORARY_FAILURE = 43;
    /** CHILD_SA_NOT_FOUND. */
    public static final int NOTIFY_CHILD_SA_NOT_FOUND = 44;

    /** First status notify type; all below are errors. */
    public static final int NOTIFY_FIRST_STATUS = 16384;
    /** INITIAL_CONTACT. */
    public static final int NOTIFY_INITIAL_CONTACT = 16384;
    /** SET_WINDOW_SIZE. */
    public static final int NOTIFY_SET_WINDOW_SIZE = 16385;
    /** ADDITIONAL_TS_POSSIBLE. */
    public static final int NOTIFY_ADDITIONAL_TS_POSSIBLE = 16386;
    /** IPCOMP_SUPPORTED. */
    public static final int NOTIFY_IPCOMP_SUPPORTED = 16387;
    /** NAT_DETECTION_SOURCE_IP; data: SHA-1(SPIi | SPIr | IP | port) (RFC 7296 2.23). */
    public static final int NOTIFY_NAT_DETECTION_SOURCE_IP = 16388;
    /** NAT_DETECTION_DESTINATION_IP; data as for the source. */
    public static final int NOTIFY_NAT_DETECTION_DESTINATION_IP = 16389;
    /** COOKIE; data: 1 to 64 opaque octets (RFC 7296 2.6). */
    public static final int NOTIFY_COOKIE = 16390;
    /** USE_TRANSPORT_MODE. */
    public static final int NOTIFY_USE_TRANSPORT_MODE = 16391;
    /** HTTP_CERT_LOOKUP_SUPPORTED. */
    public static final int NOTIFY_HTTP_CERT_LOOKUP_SUPPORTED = 16392;
    /** REKEY_SA. */
    public static final int NOTIFY_REKEY_SA = 16393;
    /** ESP_TFC_PADDING_NOT_SUPPORTED. */
    public static final int NOTIFY_ESP_TFC_PADDING_NOT_SUPPORTED = 16394;
    /** NON_FIRST_FRAGMENTS_ALSO. */
    public static final int NOTIFY_NON_FIRST_FRAGMENTS_ALSO = 16395;
    /** MOBIKE_SUPPORTED (RFC 4555). */
    public static final int NOTIFY_MOBIKE_SUPPORTED = 16396;
    /** ADDITIONAL_IP4_ADDRESS (RFC 4555). */
    public static final int NOTIFY_ADDITIONAL_IP4_ADDRESS = 16397;
    /** NO_ADDITIONAL_ADDRESSES (RFC 4555). */
    public static final int NOTIFY_NO_ADDITIONAL_ADDRESSES = 16399;
    /** UPDATE_SA_ADDRESSES (RFC 4555). */
    public static final int NOTIFY_UPDATE_SA_ADDRESSES = 16400;
    /** COOKIE2 (RFC 4555). */
    public static final int NOTIFY_COOKIE2 = 16401;
    /** MULTIPLE_AUTH_SUPPORTED (RFC 4739). */
    public static final int NOTIFY_MULTIPLE_AUTH_SUPPORTED = 16404;
    /** REDIRECT_SUPPORTED (RFC 5685). */
    public static final int NOTIFY_REDIRECT_SUPPORTED = 16406;
    /** EAP_ONLY_AUTHENTICATION (RFC 5998). */
    public static final int NOTIFY_EAP_ONLY_AUTHENTICATION = 16417;
    /** CHILDLESS_IKEV2_SUPPORTED (RFC 6023). */
    public static final int NOTIFY_CHILDLESS_IKEV2_SUPPORTED = 16418;
    /** IKEV2_MESSAGE_ID_SYNC_SUPPORTED (RFC 6311). */
    public static final int NOTIFY_IKEV2_MESSAGE_ID_SYNC_SUPPORTED = 16420;
    /** IKEV2_FRAGMENTATION_SUPPORTED (RFC 7383). */
    public static final int NOTIFY_IKEV2_FRAGMENTATION_SUPPORTED = 16430;
    /** SIGNATURE_HASH_ALGORITHMS; data: two-octet hash algorithm numbers (RFC 7427 4). */
    public static final int NOTIFY_SIGNATURE_HASH_ALGORITHMS = 16431;
    /** INTERMEDIATE_EXCHANGE_SUPPORTED (RFC 9242). */
    public static final int NOTIFY_INTERMEDIATE_EXCHANGE_SUPPORTED = 16438;

    // ---- names for log lines ----

    private static final Map<Integer, String> EXCHANGES = names("EXCHANGE_");
    private static final Map<Integer, String> PAYLOADS = names("PAYLOAD_");
    private static final Map<Integer, String> NOTIFIES = names("NOTIFY_");
    private static final Map<Integer, String> TRANSFORM_TYPES = names("TRANSFORM_");
    private static final Map<Integer, Map<Integer, String>> TRANSFORM_IDS = Map.of(
            TRANSFORM_ENCR, names("ENCR_"), TRANSFORM_PRF, names("PRF_"), TRANSFORM_INTEG, names("INTEG_"),
            TRANSFORM_DH, names("DH_"), TRANSFORM_ESN, names("ESN_"));

    /** Name of an exchange type, e.g. {@code IKE_SA_INIT}, or its number. */
    public static String exchangeName(int type) {
        return EXCHANGES.getOrDefault(type, "EXCHANGE_" + type);
    }

    /** Name of a payload type, e.g. {@code NOTIFY}, or its number. */
    public static String payloadName(int type) {
        return PAYLOADS.getOrDefault(type, "PAYLOAD_" + type);
    }

    /** Name of a notify message type, e.g. {@code INVALID_KE_PAYLOAD}, or its number. */
    public static String notifyName(int type) {
        return NOTIFIES.getOrDefault(type, (type < NOTIFY_FIRST_STATUS ? "ERROR_" : "STATUS_") + type);
    }

    /** Name of a transform type, e.g. {@code ENCR}. */
    public static String transformTypeName(int type) {
        return TRANSFORM_TYPES.getOrDefault(type, "TRANSFORM_" + type);
    }

    /** Name of a transform ID within its type, e.g. {@code AES_GCM_16} for (ENCR, 20). */
    public static String transformName(int type, int id) {
        Map<Integer, String> ids = TRANSFORM_IDS.get(type);
        String name = ids == null ? null : ids.get(id);
        return name != null ? name : transformTypeName(type) + "_" + id;
    }

    /** Whether a notify type is an error (below 16384). */
    public static boolean isError(int notifyType) {
        return notifyType > 0 && notifyType < NOTIFY_FIRST_STATUS;
    }

    private static Map<Integer, String> names(String prefix) {
        Map<Integer, String> names = new HashMap<>();
        for (Field field : Ike.class.getDeclaredFields()) {
            int mods = field.getModifiers();
            if (field.getType() == int.class && Modifier.isStatic(mods) && Modifier.isPublic(mods)
                    && field.getName().startsWith(prefix) && !field.getName().equals("NOTIFY_FIRST_STATUS")) {
                try {
                    names.putIfAbsent(field.getInt(null), field.getName().substring(prefix.length()));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return Map.copyOf(names);
    }
}
