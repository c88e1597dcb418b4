package io.steadfast.handlers.tun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.handlers.tun.Netns;
import io.steadfast.handlers.testing.RootTests;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TunInterfaceTest {

    @Test
    void configuresMtuQueueAddressesAndRoutesAndReportsIpErrors() throws Exception {
        RootTests.requireRootAndNetns();
        try (Netns ns = Netns.create("tunif")) {
            try (TunDevice device = InNetns.call(ns.name(), () -> TunDevice.open("sft0"))) {
                InNetns.run(ns.name(), () -> {
                    TunInterface.configure("sft0", 1400, 1000, List.of("10.77.0.1/24", "10.77.1.1/32"),
                            List.of("10.78.0.0/16", "10.79.0.0/24"));
                    return null;
                });
                String link = ns.run("ip", "-o", "link", "show", "dev", "sft0");
                assertThat(link).contains("mtu 1400").contains("qlen 1000").contains("UP");
                assertThat(ns.run("ip", "-o", "addr", "show", "dev", "sft0"))
                        .contains("inet 10.77.0.1/24").contains("inet 10.77.1.1/32");
                assertThat(ns.run("ip", "route", "show", "dev", "sft0"))
                        .contains("10.78.0.0/16").contains("10.79.0.0/24").contains("10.77.0.0/24");

                // The address already brought the connected route 10.77.0.0/24.
                assertThatThrownBy(() -> InNetns.run(ns.name(), () -> {
                    TunInterface.configure("sft0", 1400, 1000, List.of(), List.of("10.77.0.0/24"));
                    return null;
                })).isInstanceOf(IOException.class)
                        .hasMessage("ip route add 10.77.0.0/24 dev sft0 failed: RTNETLINK answers: File exists");

                assertThatThrownBy(() -> InNetns.run(ns.name(),
                        () -> TunInterface.ip("link", "set", "dev", "nosuchdev", "up")))
                        .isInstanceOf(IOException.class)
                        .hasMessageStartingWith("ip link set dev nosuchdev up failed: ")
                        .hasMessageContaining("nosuchdev");
            }
            assertThat(ns.run("ip", "route", "show")).doesNotContain("10.78.0.0");
        }
    }

    @Test
    void rejectsAnImpossibleMtu() {
        assertThatThrownBy(() -> TunInterface.configure("sft0", 20, 1000, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MTU");
    }
}
