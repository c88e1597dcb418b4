package io.steadfast.handlers.tun;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Test stage: turns each IPv4 ICMP echo request into an echo reply (addresses swapped, type 0, both checksums
 * recomputed) and writes it back; releases every other packet. Counts are read on the event loop.
 */
final class IcmpEchoResponder extends ChannelInboundHandlerAdapter {
    int requests;
    int replies;
    long replyBytes;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf p = (ByteBuf) msg;
        int start = p.readerIndex();
        int length = p.readableBytes();
        if (length < 28 || (p.getByte(start) & 0xf0) != 0x40 || p.getUnsignedByte(start + 9) != 1) {
            ReferenceCountUtil.release(msg);
            return;
        }
        int ihl = (p.getByte(start) & 0x0f) * 4;
        int totalLength = p.getUnsignedShort(start + 2);
        if (ihl < 20 || totalLength > length || totalLength < ihl + 8 || p.getUnsignedByte(start + ihl) != 8) {
            ReferenceCountUtil.release(msg);
            return;
        }
        requests++;
        int source = p.getInt(start + 12);
        p.setInt(start + 12, p.getInt(start + 16));
        p.setInt(start + 16, source);
        p.setByte(start + 8, 64);                         // TTL
        p.setShort(start + 10, 0);
        p.setShort(start + 10, checksum(p, start, ihl));  // IPv4 header checksum
        int icmp = start + ihl;
        p.setByte(icmp, 0);                               // type: echo reply
        p.setShort(icmp + 2, 0);
        p.setShort(icmp + 2, checksum(p, icmp, totalLength - ihl));
        p.writerIndex(start + totalLength);
        replies++;
        replyBytes += totalLength;
        ctx.write(p);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    /** The Internet checksum (RFC 1071) of {@code length} bytes at {@code offset}. */
    static int checksum(ByteBuf buf, int offset, int length) {
        long sum = 0;
        int i = 0;
        for (; i + 1 < length; i += 2) sum += buf.getUnsignedShort(offset + i);
        if (i < length) sum += buf.getUnsignedByte(offset + i) << 8;
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return (int) (~sum & 0xffff);
    }
}
