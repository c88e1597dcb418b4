package io.steadfast.pipeline.esp;

import io.steadfast.handlers.tun.Netns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** dumpcap capturing on an interface inside a namespace; {@link #stop()} ends it by PID with SIGINT. */
final class Capture {
    private final Process process;
    private final Path file;

    private Capture(Process process, Path file) {
        this.process = process;
        this.file = file;
    }

    /** Starts capturing and returns once dumpcap has written its file header. */
    static Capture start(Netns ns, String iface, String filter, Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(ns.inside("dumpcap", "-q", "-i", iface, "-f", filter, "-w", file.toString()))
                .redirectErrorStream(true).redirectOutput(file.resolveSibling(file.getFileName() + ".log").toFile()).start();
        Capture c = new Capture(p, file);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(Files.exists(file) && Files.size(file) > 0)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                c.stop();
                throw new IOException("dumpcap did not start: " + Files.readString(file.resolveSibling(file.getFileName() + ".log")));
            }
            Thread.sleep(50);
        }
        Thread.sleep(300); // the filter is attached before the header is written; give the ring a moment
        return c;
    }

    /** SIGINT by PID (dumpcap then finishes the file), waits for it. */
    void stop() throws IOException, InterruptedException {
        if (process.isAlive()) {
            Thread.sleep(1000); // packets seen last may still sit in the kernel's capture buffer
            Netns.exec(List.of("kill", "-INT", Long.toString(process.pid())), 5);
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
