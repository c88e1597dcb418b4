package io.steadfast.pipeline.control;

import io.steadfast.pipeline.runtime.Instance;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local control socket of a running instance: a Unix domain socket, mode 0600 in a 0700 directory,
 * so only root (the owner) may talk to it. One request per connection: a single line
 * ({@code status}, or {@code control PIPELINE STAGE COMMAND}); the answer is text, starting with
 * {@code error: } when the request failed.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    private static final int MAX_REQUEST = 4096;

    private final Path path;
    private final ServerSocketChannel server;
    private final Instance instance;
    private final Thread thread;

    private ControlServer(Path path, ServerSocketChannel server, Instance instance) {
        this.path = path;
        this.server = server;
        this.instance = instance;
        this.thread = Thread.ofPlatform().daemon().name("steadfast-control").unstarted(this::serve);
    }

    /** Binds the socket (refusing if another instance answers on it) and starts serving. */
    public static ControlServer start(Path path, Instance instance) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (Files.exists(path)) {
            if (ControlClient.answers(path)) {
                throw new IOException("control socket " + path + " is in use by a running instance; give this profile another name or control.socket");
            }
            Files.delete(path); // stale, left by an instance that was killed
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot create control socket " + path + ": " + e.getMessage(), e);
        }
        ControlServer cs = new ControlServer(path, server, instance);
        cs.thread.start();
        LOG.info("control socket {}", path);
        return cs;
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                String request = readLine(client);
                if (request.isBlank()) continue; // a liveness probe: connect and close
                String answer = answer(request);
                client.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                if (server.isOpen()) LOG.debug("control socket: {}", e.toString()); // the client went away
            }
        }
    }

    String answer(String request) {
        String[] words = request.strip().split("\\s+", 4);
        try {
            return switch (words[0]) {
                case "status" -> instance.status();
                case "control" -> {
                    if (words.length < 4) yield "error: usage: control PIPELINE STAGE COMMAND\n";
                    yield instance.control(words[1], words[2], words[3]) + "\n";
                }
                default -> "error: unknown request \"" + words[0] + "\"; requests: status, control PIPELINE STAGE COMMAND\n";
            };
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return "error: " + (cause instanceof IllegalArgumentException ? cause.getMessage() : cause.toString()) + "\n";
        } catch (IllegalArgumentException e) {
            return "error: " + e.getMessage() + "\n";
        } catch (Exception e) {
            return "error: " + e + "\n";
        }
    }

    private static String readLine(SocketChannel client) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(MAX_REQUEST);
        while (buf.hasRemaining()) {
            if (client.read(buf) < 0) break;
            if (buf.position() > 0 && buf.get(buf.position() - 1) == '\n') break;
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("could not remove control socket {}: {}", path, e.toString());
        }
    }
}
