package io.steadfast.esp;

import io.netty.buffer.ByteBuf;

/** ENCR_NULL with no integrity (RFC 4303 with RFC 2410): leaves the payload as it is and adds no ICV. */
final class NullCipher extends PacketCipher {

    @Override
    void seal(ByteBuf buf, int offset, int length, byte[] nonce, byte[] aad, int aadLength) {
        // cleartext by definition
    }

    @Override
    boolean open(ByteBuf buf, int offset, int length, byte[] nonce, byte[] aad, int aadLength) {
        return true;
    }

    @Override
    void wipe() {
        // no key
    }
}
