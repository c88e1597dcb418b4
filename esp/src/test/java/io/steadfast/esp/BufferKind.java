package io.steadfast.esp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;

/** The kinds of buffer a packet may arrive in; each builds "headroom | inner packet | tailroom" of fixed capacity. */
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
    /** Three direct components: no single NIO view exists, so the cipher takes its scratch path. */
    COMPOSITE_DIRECT {
        @Override
        ByteBuf allocate(int capacity) {
            int first = capacity / 3;
            int second = capacity / 3;
            CompositeByteBuf composite = Unpooled.compositeBuffer(3);
            composite.addComponent(false, Unpooled.directBuffer(first, first));
            composite.addComponent(false, Unpooled.directBuffer(second, second));
            composite.addComponent(false, Unpooled.directBuffer(capacity - first - second, capacity - first - second));
            composite.capacity(capacity);
            return composite.clear();
        }
    };

    /** An empty buffer of exactly {@code capacity} bytes that cannot grow. */
    abstract ByteBuf allocate(int capacity);

    /** A buffer holding {@code inner} at readerIndex {@code headroom}, with exactly {@code tailroom} writable after it. */
    ByteBuf withPacket(int headroom, byte[] inner, int tailroom) {
        ByteBuf buf = allocate(headroom + inner.length + tailroom);
        buf.writerIndex(headroom).readerIndex(headroom);
        buf.writeBytes(inner);
        return buf;
    }

    /** A buffer holding {@code bytes} at readerIndex 0. */
    ByteBuf withBytes(byte[] bytes) {
        return withPacket(0, bytes, 0);
    }
}
