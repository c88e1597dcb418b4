package io.steadfast.pipeline.ike;

import io.steadfast.handlers.testing.RootTests;
import io.steadfast.pipeline.testbed.Charon;
import java.nio.file.Files;

/** What the strongSwan interop tests need: root, namespaces, charon, swanctl and unshare; skipped locally, failed under CI=true. */
public final class StrongSwanTests {
    private StrongSwanTests() {}

    /** Skips the test (or fails it under CI=true) unless charon can run here. */
    public static void requireCharon() {
        RootTests.requireRootAndNetns();
        RootTests.requireTool("swanctl");
        RootTests.requireTool("unshare");
        if (!Files.isExecutable(Charon.CHARON)) {
            String why = Charon.CHARON + " missing: apt-get install strongswan-charon libcharon-extra-plugins";
            if (RootTests.inCi()) throw new AssertionError("CI=true but this test cannot run: " + why);
            org.junit.jupiter.api.Assumptions.abort(why);
        }
    }
}
