package io.steadfast.handlers.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCountUtil;

/** Buffers for the relay stages: packets with room around them for the headers and trailers still to come. */
final class Packets {
    /** Room kept before and after a packet made here, as the TUN channel keeps it. */
    static final int SPARE_ROOM = 64;

    private Packets() {}

    /** {@code bytes} in a pooled direct buffer with spare room before and after. */
    static ByteBuf withRoom(ByteBufAllocator alloc, byte[] bytes) {
        ByteBuf buf = alloc.directBuffer(SPARE_ROOM + bytes.length + SPARE_ROOM);
        buf.writerIndex(SPARE_ROOM).readerIndex(SPARE_ROOM);
        return buf.writeBytes(bytes);
    }

    /** A copy of {@code packet} with spare room; releases the original. */
    static ByteBuf copyWithRoom(ByteBufAllocator alloc, ByteBuf packet) {
        int length = packet.readableBytes();
        ByteBuf buf = alloc.directBuffer(SPARE_ROOM + length + SPARE_ROOM);
        buf.writerIndex(SPARE_ROOM).readerIndex(SPARE_ROOM);
        buf.writeBytes(packet, packet.readerIndex(), length);
        ReferenceCountUtil.release(packet);
        return buf;
    }
}
