package io.steadfast.ike.payload;

import static io.steadfast.ike.payload.Payloads.assertRoundTrip;
import static io.steadfast.ike.payload.Payloads.failure;
import static io.steadfast.ike.payload.Payloads.parseBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.ike.Ike;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TsCpDeletePayloadTest {
    @Test
    void everythingSelector() throws Exception {
        TsPayload tsi = new TsPayload(true, List.of(TrafficSelector.ipv4Subnet("0.0.0.0", 0)));
        assertRoundTrip(tsi, """
                01 000000                  # one selector
                07 00 0010 0000 ffff       # IPv4 range, any protocol, length 16, ports 0-65535
                00000000 ffffffff
                """);
        assertThat(tsi.type()).isEqualTo(Ike.PAYLOAD_TSI);
        assertThat(tsi.toString()).isEqualTo("TSi[0.0.0.0..255.255.255.255]");
    }

    @Test
    void subnetSelectorsAndNarrowedAnswers() throws Exception {
        TsPayload tsr = new TsPayload(false, List.of(TrafficSelector.ipv4Subnet("10.10.7.9", 16),
                new TrafficSelector(Ike.TS_IPV4_ADDR_RANGE, 17, 53, 53, new byte[] {10, 0, 0, 53}, new byte[] {10, 0, 0, 53})));
        assertRoundTrip(tsr, """
                02 000000
                07 00 0010 0000 ffff 0a0a0000 0a0affff
                07 11 0010 0035 0035 0a000035 0a000035
                """);
        assertThat(tsr.type()).isEqualTo(Ike.PAYLOAD_TSR);
        assertThat(tsr.selectors().get(1).toString()).isEqualTo("10.0.0.53..10.0.0.53 proto 17[53-53]");
        assertThat(tsr.selectors().get(0).start()).isEqualTo(InetAddress.getByName("10.10.0.0"));
        assertThat(tsr.selectors().get(0).end()).isEqualTo(InetAddress.getByName("10.10.255.255"));
    }

    @Test
    void hostAndRangeFactories() throws Exception {
        TrafficSelector host = TrafficSelector.ipv4Subnet("192.0.2.7", 32);
        assertThat(host.startAddress()).isEqualTo(host.endAddress());
        TrafficSelector range = TrafficSelector.ipv4Range((Inet4Address) InetAddress.getByName("192.0.2.1"),
                (Inet4Address) InetAddress.getByName("192.0.2.9"));
        assertThat(range.toString()).isEqualTo("192.0.2.1..192.0.2.9");
        assertThat(range).isEqualTo(TrafficSelector.ipv4Range((Inet4Address) InetAddress.getByName("192.0.2.1"),
                (Inet4Address) InetAddress.getByName("192.0.2.9")));
        assertThat(range.hashCode()).isEqualTo(TrafficSelector.ipv4Range((Inet4Address) InetAddress.getByName("192.0.2.1"),
                (Inet4Address) InetAddress.getByName("192.0.2.9")).hashCode());
        assertThatThrownBy(() -> TrafficSelector.ipv4Subnet("10.0.0.0", 33)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrafficSelector.ipv4Subnet("10.0.0", 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrafficSelector.ipv4Subnet("10.0.0.256", 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrafficSelector.ipv4Subnet("a.b.c.d", 8)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ipv6SelectorParses() throws Exception {
        TsPayload ts = (TsPayload) parseBody(Ike.PAYLOAD_TSI, """
                01 000000 08 00 0028 0000 ffff
                00000000000000000000000000000000 ffffffffffffffffffffffffffffffff
                """);
        assertThat(ts.selectors().get(0).tsType()).isEqualTo(Ike.TS_IPV6_ADDR_RANGE);
    }

    @Test
    void malformedSelectorsAreInvalidSyntax() {
        assertThat(failure(Ike.PAYLOAD_TSI, "00 000000")).hasMessageContaining("without selectors");
        assertThat(failure(Ike.PAYLOAD_TSI, "02 000000 07 00 0010 0000 ffff 00000000 ffffffff"))
                .hasMessageContaining("TS type");
        assertThat(failure(Ike.PAYLOAD_TSI, "01 000000 07 00 0011 0000 ffff 00000000 ffffffff 00"))
                .hasMessageContaining("length 17");
        assertThat(failure(Ike.PAYLOAD_TSI, "01 000000 09 00 0010 0000 ffff 00000000 ffffffff"))
                .hasMessageContaining("type 9 not supported");
        assertThat(failure(Ike.PAYLOAD_TSI, "01 000000 07 00 0010 0000 ffff 00000000 ffff"))
                .hasMessageContaining("TS end address");
        assertThat(failure(Ike.PAYLOAD_TSI, "01 000000 07 00 0010 0000 ffff 00000000 ffffffff ee"))
                .hasMessageContaining("trailing");
    }

    @Test
    void cpRequestAsksForAVirtualIp() throws Exception {
        CpPayload ask = CpPayload.request(Ike.ATTR_INTERNAL_IP4_ADDRESS, Ike.ATTR_INTERNAL_IP4_DNS);
        assertRoundTrip(ask, """
                01 000000       # CFG_REQUEST
                0001 0000       # INTERNAL_IP4_ADDRESS, empty
                0003 0000       # INTERNAL_IP4_DNS, empty
                """);
        assertThat(ask.toString()).isEqualTo("CP(REQUEST [INTERNAL_IP4_ADDRESS, INTERNAL_IP4_DNS])");
    }

    @Test
    void cpReplyCarriesTheAddresses() throws Exception {
        CpPayload reply = (CpPayload) parseBody(Ike.PAYLOAD_CP, """
                02 000000
                0001 0004 0a0a0003      # INTERNAL_IP4_ADDRESS 10.10.0.3
                0002 0004 ffffff00      # INTERNAL_IP4_NETMASK
                0003 0004 08080808      # INTERNAL_IP4_DNS 8.8.8.8
                0003 0004 01010101      # INTERNAL_IP4_DNS 1.1.1.1
                8019 0002 6162          # attribute 25 with the reserved bit set
                """);
        assertThat(reply.cfgType()).isEqualTo(Ike.CFG_REPLY);
        assertThat(reply.ipv4(Ike.ATTR_INTERNAL_IP4_ADDRESS)).containsExactly((Inet4Address) InetAddress.getByName("10.10.0.3"));
        assertThat(reply.ipv4(Ike.ATTR_INTERNAL_IP4_NETMASK)).containsExactly((Inet4Address) InetAddress.getByName("255.255.255.0"));
        assertThat(reply.ipv4(Ike.ATTR_INTERNAL_IP4_DNS)).extracting(Inet4Address::getHostAddress)
                .containsExactly("8.8.8.8", "1.1.1.1");
        assertThat(reply.attributes().get(4).attributeType()).isEqualTo(25);
        assertThat(reply.attributes().get(4).ipv4()).isEmpty();
        assertThat(reply.toString()).contains("INTERNAL_IP4_ADDRESS=10.10.0.3", "ATTR_25=6162");
    }

    @Test
    void cpReplyRoundTrips() throws Exception {
        CpPayload reply = new CpPayload(Ike.CFG_REPLY, List.of(
                ConfigAttribute.ipv4(Ike.ATTR_INTERNAL_IP4_ADDRESS, (Inet4Address) InetAddress.getByName("10.10.0.3"))));
        assertRoundTrip(reply, "02 000000 0001 0004 0a0a0003");
    }

    @Test
    void malformedCpIsInvalidSyntax() {
        assertThat(failure(Ike.PAYLOAD_CP, "01 0000")).hasMessageContaining("CFG reserved");
        assertThat(failure(Ike.PAYLOAD_CP, "02 000000 0001 0004 0a0a")).hasMessageContaining("config attribute value: needs 4");
        assertThat(failure(Ike.PAYLOAD_CP, "02 000000 0001 00")).hasMessageContaining("config attribute length");
        assertThatThrownBy(() -> new ConfigAttribute(0x8000, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deleteIkeSa() throws Exception {
        assertRoundTrip(DeletePayload.ikeSa(), "01 00 0000");
        assertThat(DeletePayload.ikeSa().toString()).isEqualTo("D(IKE)");
    }

    @Test
    void deleteEspSas() throws Exception {
        DeletePayload d = DeletePayload.esp(0xc0ffee01, 0x00000102);
        assertRoundTrip(d, "03 04 0002 c0ffee01 00000102");
        assertThat(d.spis()).containsExactly(0xc0ffee01, 0x102);
        assertThat(d.toString()).isEqualTo("D(3, [c0ffee01, 00000102])");
    }

    @Test
    void malformedDeleteIsInvalidSyntax() {
        assertThat(failure(Ike.PAYLOAD_DELETE, "01 08 0000")).hasMessageContaining("SPI size 8");
        assertThat(failure(Ike.PAYLOAD_DELETE, "01 00 0001")).hasMessageContaining("1 SPIs");
        assertThat(failure(Ike.PAYLOAD_DELETE, "03 04 0002 c0ffee01")).hasMessageContaining("delete SPI");
        assertThat(failure(Ike.PAYLOAD_DELETE, "03 04 0001 c0ffee01 00")).hasMessageContaining("trailing");
        assertThat(failure(Ike.PAYLOAD_DELETE, "03 04")).hasMessageContaining("delete SPI count");
        assertThatThrownBy(() -> new DeletePayload(Ike.PROTOCOL_IKE, List.of(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
