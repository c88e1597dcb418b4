package io.steadfast.pipeline.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Sends one request to a running instance's control socket and returns the answer. */
public final class ControlClient {
    private ControlClient() {}

    /** The answer to {@code request} (one line, e.g. {@code status}). */
    public static String request(Path socket, String request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.shutdownOutput();
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            StringBuilder out = new StringBuilder();
            while (ch.read(buf) >= 0) {
                if (!buf.hasRemaining()) {
                    out.append(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
                    buf.clear();
                }
            }
            out.append(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
            return out.toString();
        }
    }

    /** True if an instance answers on {@code socket}. */
    public static boolean answers(Path socket) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
