package io.steadfast.esp;

import io.netty.buffer.ByteBuf;

/**
 * The bulk transform of one SA direction: seals or opens a byte range of a buffer in place, given the
 * nonce and AAD the caller built. One instance per encryptor or decryptor; not thread-safe.
 */
abstract sealed class PacketCipher permits JceAeadCipher, NullCipher {

    /** The transform for {@code sa}'s algorithm, keyed for encryption or decryption. */
    static PacketCipher create(SecurityAssociation sa, boolean encrypt) {
        return sa.algorithm() == EspAlgorithm.NULL ? new NullCipher() : new JceAeadCipher(sa.algorithm(), sa.key(), encrypt);
    }

    /** Encrypts {@code [offset, offset+length)} in place and writes the ICV right after it. */
    abstract void seal(ByteBuf buf, int offset, int length, byte[] nonce, byte[] aad, int aadLength);

    /** Verifies and decrypts {@code [offset, offset+length)} (ciphertext then ICV) in place; false on a bad ICV. */
    abstract boolean open(ByteBuf buf, int offset, int length, byte[] nonce, byte[] aad, int aadLength);

    /** Overwrites key-dependent state kept inside the JCE cipher, once the SA is closed. */
    abstract void wipe();
}
