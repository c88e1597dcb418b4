package io.steadfast.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Prefixes of stable addresses: parsing, containment at the edges, and what is refused. */
class AddressPrefixTest {
    @Test
    void containsExactlyItsAddresses() {
        AddressPrefix p = AddressPrefix.parse("10.1.0.0/16");
        assertThat(p.contains(Ipv4.parse("10.1.0.0"))).isTrue();
        assertThat(p.contains(Ipv4.parse("10.1.255.255"))).isTrue();
        assertThat(p.contains(Ipv4.parse("10.2.0.0"))).isFalse();
        assertThat(p.contains(Ipv4.parse("10.0.255.255"))).isFalse();
        assertThat(p.mask()).isEqualTo(0xFFFF0000);
        assertThat(p).hasToString("10.1.0.0/16");
    }

    @Test
    void theEdgesZeroAndThirtyTwo() {
        AddressPrefix all = AddressPrefix.parse("0.0.0.0/0");
        assertThat(all.contains(0)).isTrue();
        assertThat(all.contains(-1)).isTrue();
        assertThat(all.mask()).isZero();
        AddressPrefix one = AddressPrefix.parse("10.1.0.7");
        assertThat(one).isEqualTo(new AddressPrefix(Ipv4.parse("10.1.0.7"), 32));
        assertThat(one.contains(Ipv4.parse("10.1.0.7"))).isTrue();
        assertThat(one.contains(Ipv4.parse("10.1.0.8"))).isFalse();
        AddressPrefix high = AddressPrefix.parse("192.168.0.0/17");
        assertThat(high.contains(Ipv4.parse("192.168.127.1"))).isTrue();
        assertThat(high.contains(Ipv4.parse("192.168.128.1"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.1.0.1/16", "10.1.0.0/33", "10.1.0.0/-1", "10.1.0.0/", "10.1.0/16", "10.1.0.0/1a", "/8", "10.1.0.0/016"})
    void refusesBadPrefixes(String text) {
        assertThatThrownBy(() -> AddressPrefix.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
