package io.steadfast.ike.crypto;

/** Test access to package-private helpers of the crypto package. */
public final class IkeSaKeysAccess {
    private IkeSaKeysAccess() {}

    /** Concatenation, as the key schedule does it. */
    public static byte[] concat(byte[]... parts) {
        return IkeSaKeys.concat(parts);
    }
}
