package io.steadfast.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class Ipv4PrefixTest {

    @Test
    void parsesAddressesWithAndWithoutPrefix() {
        assertThat(Ipv4Prefix.parse("10.9.0.1/24")).isEqualTo(new Ipv4Prefix(0x0a090001, 24));
        assertThat(Ipv4Prefix.parse("192.0.2.255")).isEqualTo(new Ipv4Prefix(0xc00002ff, 32));
        assertThat(Ipv4Prefix.parse(" 0.0.0.0/0 ")).isEqualTo(new Ipv4Prefix(0, 0));
    }

    @Test
    void networkClearsHostBits() {
        assertThat(Ipv4Prefix.parse("10.9.3.7/16").network().toString()).isEqualTo("10.9.0.0/16");
        assertThat(Ipv4Prefix.parse("10.9.3.7/0").network().toString()).isEqualTo("0.0.0.0/0");
        assertThat(Ipv4Prefix.parse("10.9.3.7").network().toString()).isEqualTo("10.9.3.7/32");
    }

    @Test
    void roundTripsThroughText() {
        assertThat(Ipv4Prefix.parse("255.254.1.0/31").toString()).isEqualTo("255.254.1.0/31");
        assertThat(Ipv4Prefix.parse("10.0.0.1/8").addressText()).isEqualTo("10.0.0.1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.300", "10.0.0", "10.0.0.1.2", "a.b.c.d", "10.0.0.1/33", "10.0.0.1/", "10..0.1",
            "-1.0.0.0", "10.0.0.1/x", "", "example.com"})
    void refusesWhatIsNotAnIpv4Prefix(String text) {
        assertThatThrownBy(() -> Ipv4Prefix.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
