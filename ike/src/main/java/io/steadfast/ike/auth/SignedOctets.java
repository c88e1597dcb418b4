package io.steadfast.ike.auth;

import io.steadfast.ike.crypto.PrfAlgorithm;
import io.steadfast.ike.payload.IdPayload;

/**
 * The octets an AUTH payload covers (RFC 7296 2.15). For the initiator:
 * {@code RealMessage1 | NonceRData | prf(SK_pi, RestOfInitIDPayload)}: the IKE_SA_INIT request exactly as
 * sent (from the IKE header, without a non-ESP marker), the responder's nonce data, and the PRF of the
 * IDi body (ID type, reserved bytes, data). For the responder: its IKE_SA_INIT response, Ni and SK_pr
 * over the IDr body.
 *
 * <pre>{@code
 * byte[] octets = SignedOctets.of(initRequestBytes, nr, prf, keys.skPi(), idi);
 * byte[] auth = PskAuthenticator.compute(prf, psk, octets);
 * }</pre>
 */
public final class SignedOctets {
    private SignedOctets() {}

    /**
     * {@code message | peerNonce | prf(skP, id body)}, where {@code message} is the signer's own
     * IKE_SA_INIT message, {@code peerNonce} the other side's nonce data and {@code skP} the signer's SK_p.
     */
    public static byte[] of(byte[] message, byte[] peerNonce, PrfAlgorithm prf, byte[] skP, IdPayload id) {
        byte[] macedId = prf.compute(skP, id.body());
        byte[] out = new byte[message.length + peerNonce.length + macedId.length];
        System.arraycopy(message, 0, out, 0, message.length);
        System.arraycopy(peerNonce, 0, out, message.length, peerNonce.length);
        System.arraycopy(macedId, 0, out, message.length + peerNonce.length, macedId.length);
        return out;
    }
}
