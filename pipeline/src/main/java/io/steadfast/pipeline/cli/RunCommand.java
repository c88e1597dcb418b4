package io.steadfast.pipeline.cli;

import io.steadfast.pipeline.control.ControlServer;
import io.steadfast.pipeline.profile.Kind;
import io.steadfast.pipeline.profile.Profile;
import io.steadfast.pipeline.runtime.Instance;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code steadfast client|gateway|relay -c FILE}: runs a profile of that kind until SIGINT or SIGTERM,
 * then undoes what it changed on the host and exits 0. Exits 2 for a bad profile, 1 if it cannot start
 * or the TUN device vanished under it.
 */
abstract class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = {"-c", "--config"}, required = true, description = "Profile file.")
    Path file;

    abstract Kind kind();

    @Override
    public Integer call() throws Exception {
        Profile profile = Profiles.loadOrReport(file, System.err);
        if (profile == null) return 2;
        if (profile.kind() != kind()) {
            System.err.printf("%s: this is a %s profile; run it with 'steadfast %s -c %s'%n",
                    file, profile.kind().label(), profile.kind().label(), file);
            return 2;
        }
        CountDownLatch stop = new CountDownLatch(1);
        AtomicReference<String> signal = new AtomicReference<>();
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), s -> {
                signal.compareAndSet(null, "SIG" + s.getName());
                stop.countDown();
            });
        }
        Instance instance;
        try {
            instance = Instance.start(profile);
        } catch (Exception e) {
            LOG.error("cannot start: {}", e.getMessage());
            LOG.debug("start failure", e);
            return 1;
        }
        try (instance; ControlServer control = startControl(profile, instance)) {
            if (control == null) return 1;
            instance.closeFuture().addListener(f -> stop.countDown());
            LOG.info("running; stop with Ctrl-C or SIGTERM");
            stop.await();
            if (signal.get() == null) {
                LOG.error("the TUN device closed unexpectedly; stopping");
                return 1;
            }
            LOG.info("{}: stopping", signal.get());
            return 0;
        }
    }

    private static ControlServer startControl(Profile profile, Instance instance) {
        try {
            return ControlServer.start(profile.controlSocket(), instance);
        } catch (Exception e) {
            LOG.error("cannot start: {}", e.getMessage());
            return null;
        }
    }

    @Command(name = "client", description = "Run a client profile.")
    static final class Client extends RunCommand {
        @Override
        Kind kind() {
            return Kind.CLIENT;
        }
    }

    @Command(name = "gateway", description = "Run a gateway profile.")
    static final class Gateway extends RunCommand {
        @Override
        Kind kind() {
            return Kind.GATEWAY;
        }
    }

    @Command(name = "relay", description = "Run a relay profile.")
    static final class Relay extends RunCommand {
        @Override
        Kind kind() {
            return Kind.RELAY;
        }
    }
}
