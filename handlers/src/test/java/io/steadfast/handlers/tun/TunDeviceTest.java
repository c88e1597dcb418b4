package io.steadfast.handlers.tun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.handlers.tun.Netns;
import io.steadfast.handlers.testing.RootTests;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class TunDeviceTest {

    @Test
    void aTooLongNameIsAClearIOException() {
        String name = "a-twenty-chars-name!";
        assertThat(name).hasSize(20);
        assertThatThrownBy(() -> TunDevice.open(name))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot create TUN device a-twenty-chars-name!: the name is 20 bytes long,"
                        + " Linux allows at most 15");
    }

    @Test
    void aNameTheKernelRejectsIsAClearIOException() throws Exception {
        RootTests.requireRootAndNetns();
        try (Netns ns = Netns.create("tunbad")) {
            assertThatThrownBy(() -> InNetns.call(ns.name(), () -> TunDevice.open("bad/name")))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("cannot create TUN device bad/name: Invalid argument (");
            assertThat(ns.run("ip", "-o", "link", "show")).doesNotContain("bad");
        }
    }

    @Test
    void theKernelFillsInANamePatternAndClosingDestroysTheDevice() throws Exception {
        RootTests.requireRootAndNetns();
        try (Netns ns = Netns.create("tunpat")) {
            TunDevice device = InNetns.call(ns.name(), () -> TunDevice.open("sft%d"));
            try {
                assertThat(device.name()).isEqualTo("sft0");
                assertThat(device.fd()).isGreaterThanOrEqualTo(0);
                assertThat(device.isOpen()).isTrue();
                assertThat(ns.run("ip", "-o", "link", "show", "dev", "sft0")).contains("sft0");
                assertThat(Netns.exec(java.util.List.of("ip", "-o", "link", "show"), 10))
                        .as("the device lives in the namespace, not on the host").doesNotContain(": sft0:");
            } finally {
                device.close();
            }
            device.close(); // idempotent
            assertThat(device.isOpen()).isFalse();
            assertThat(device.fd()).isEqualTo(-1);
            assertThat(ns.run("ip", "-o", "link", "show")).doesNotContain("sft0");
        }
    }
}
