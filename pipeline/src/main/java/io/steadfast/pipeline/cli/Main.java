package io.steadfast.pipeline.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code steadfast}: the command line. Each subcommand is a class of this package. */
@Command(name = "steadfast", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A VPN client, gateway and packet relay that keep flows alive when a VPN gateway dies.",
        subcommands = {RunCommand.Client.class, RunCommand.Gateway.class, RunCommand.Relay.class,
                CheckCommand.class, StatusCommand.class, ControlCommand.class, StagesCommand.class,
                DemoCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        if (!org.slf4j.bridge.SLF4JBridgeHandler.isInstalled()) {
            // The ike module logs through System.Logger (java.util.logging): its lines join ours.
            org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
            org.slf4j.bridge.SLF4JBridgeHandler.install();
        }
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** The version from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/steadfast-version.properties")) {
                if (in != null) p.load(in);
            }
            return new String[] {"steadfast " + p.getProperty("version", "unknown") + " (Java " + Runtime.version() + ")"};
        }
    }
}
