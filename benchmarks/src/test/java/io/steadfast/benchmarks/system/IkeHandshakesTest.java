package io.steadfast.benchmarks.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading handshakes from tshark's fields (lines as tshark 4.0 printed them from a capture of ike-timing), and their spread. */
class IkeHandshakesTest {
    private static final String CAPTURE = String.join("\n",
            "1795676140.138184917\t10.244.1.1\tacb6da8d6debdd3a\t34\t0x08\t0x00000000",
            "1795676140.143889841\t10.244.1.2\tacb6da8d6debdd3a\t34\t0x20\t0x00000000",
            "1795676140.200635792\t10.244.1.1\tacb6da8d6debdd3a\t35\t0x08\t0x00000001",
            "1795676140.202070928\t10.244.1.2\tacb6da8d6debdd3a\t35\t0x20\t0x00000001",
            "1795676140.250504632\t10.244.1.2\tacb6da8d6debdd3a\t37\t0x00\t0x00000000",
            "1795676140.256290696\t10.244.1.1\tacb6da8d6debdd3a\t37\t0x28\t0x00000000",
            // strongSwan's, first asked for another DH group (INVALID_KE_PAYLOAD), its IKE_AUTH response in two fragments
            "1795676140.270000000\t10.244.2.1\t66780b6f13dff575\t34\t0x08\t0x00000000",
            "1795676140.270500000\t10.244.2.2\t66780b6f13dff575\t34\t0x20\t0x00000000",
            "1795676140.274708047\t10.244.2.1\t66780b6f13dff575\t34\t0x08\t0x00000000",
            "1795676140.275346129\t10.244.2.2\t66780b6f13dff575\t34\t0x20\t0x00000000",
            "1795676140.277288053\t10.244.2.1\t66780b6f13dff575\t35\t0x08\t0x00000001",
            "1795676140.278000000\t10.244.2.2\t66780b6f13dff575\t35\t0x20\t0x00000001",
            "1795676140.279057201\t10.244.2.2\t66780b6f13dff575\t35\t0x20\t0x00000001",
            "1795676140.294433575\t10.244.2.1\t66780b6f13dff575\t37\t0x08\t0x00000002",
            // one that never finished, and a line without IKE fields (a non-ESP-marker keepalive)
            "1795676141.000000000\t10.244.1.1\t1111111111111111\t34\t0x08\t0x00000000",
            "1795676141.100000000\t10.244.1.1\t\t\t\t",
            "");

    @Test
    void eachCompleteHandshakeFromTheFirstInitRequestToTheLastAuthResponse() {
        List<IkeHandshakes.Handshake> all = IkeHandshakes.parse(CAPTURE);
        assertThat(all).extracting(IkeHandshakes.Handshake::spi).containsExactly("acb6da8d6debdd3a", "66780b6f13dff575");

        IkeHandshakes.Handshake ours = all.get(0);
        assertThat(ours.initiator()).isEqualTo("10.244.1.1");
        assertThat(ours.totalMillis()).isCloseTo(63.886, within(0.001));
        assertThat(ours.initMillis()).isCloseTo(5.705, within(0.001));
        assertThat(ours.turnaroundMillis()).isCloseTo(56.746, within(0.001));
        assertThat(ours.authMillis()).isCloseTo(1.435, within(0.001));

        IkeHandshakes.Handshake swan = all.get(1);
        assertThat(swan.initiator()).isEqualTo("10.244.2.1");
        assertThat(swan.totalMillis()).isCloseTo(9.057, within(0.001));
        assertThat(swan.turnaroundMillis()).isCloseTo(1.942, within(0.001));
        assertThat(swan.authMillis()).isCloseTo(1.769, within(0.001));

        IkeTimingReport report = IkeTimingReport.of(all, "10.244.1.1", "10.244.2.1");
        assertThat(report.ours()).containsExactly(ours);
        assertThat(report.swan()).containsExactly(swan);
        assertThat(report.table()).contains("| steadfast, first handshake (cold JVM) | 1 | 63.89 | 63.89 | 63.89 | 56.75 | 5.70 | 1.44 |")
                .contains("| strongSwan charon (`swanctl --initiate`) | 1 | 9.06 |")
                .contains("| steadfast (ike stage of `steadfast client`) | 0 | - | - | - | - | - | - |");
    }

    @Test
    void spreadIsNearestRank() {
        Spread s = Spread.of(List.of(5.0, 1.0, 4.0, 2.0, 3.0, 10.0, 9.0, 8.0, 7.0, 6.0));
        assertThat(s).isEqualTo(new Spread(10, 1.0, 5.0, 9.0));
        assertThat(Spread.of(List.of(7.0))).isEqualTo(new Spread(1, 7.0, 7.0, 7.0));
        assertThat(Spread.of(List.of()).median()).isNaN();
    }
}
