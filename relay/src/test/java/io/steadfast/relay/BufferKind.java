package io.steadfast.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;

/** The kinds of buffer a packet may arrive in; each builds "headroom | packet | tailroom" of fixed capacity. */
enum BufferKind {
    POOLED_DIRECT {
        @Override
        ByteBuf allocate(int capacity) {
            return PooledByteBufAllocator.DEFAULT.directBuffer(capacity, capacity);
        }
    },
    POOLED_HEAP {
        @Override
        ByteBuf allocate(int capacity) {
            return PooledByteBufAllocator.DEFAULT.heapBuffer(capacity, capacity);
        }
    },
    /** Netty 4.2's default allocator. */
    ADAPTIVE_DIRECT {
        @Override
        ByteBuf allocate(int capacity) {
            return ByteBufAllocator.DEFAULT.directBuffer(capacity, capacity);
        }
    },
    UNPOOLED_HEAP {
        @Override
        ByteBuf allocate(int capacity) {
            return UnpooledByteBufAllocator.DEFAULT.heapBuffer(capacity, capacity);
        }
    },
    /** Two direct components split in the middle: headers may straddle the seam. */
    COMPOSITE_DIRECT {
        @Override
        ByteBuf allocate(int capacity) {
            int first = capacity / 2;
            CompositeByteBuf composite = Unpooled.compositeBuffer(2);
            composite.addComponent(false, Unpooled.directBuffer(first, first));
            composite.addComponent(false, Unpooled.directBuffer(capacity - first, capacity - first));
            composite.capacity(capacity);
            return composite.clear();
        }
    };

    /** An empty buffer of exactly {@code capacity} bytes that cannot grow. */
    abstract ByteBuf allocate(int capacity);

    /** A buffer holding {@code packet} at readerIndex {@code headroom}, with exactly {@code tailroom} writable after it. */
    ByteBuf withPacket(int headroom, byte[] packet, int tailroom) {
        ByteBuf buf = allocate(headroom + packet.length + tailroom);
        buf.writerIndex(headroom).readerIndex(headroom);
        buf.writeBytes(packet);
        return buf;
    }
}
