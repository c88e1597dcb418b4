package io.steadfast.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.ike.Ike;
import io.steadfast.ike.payload.IdPayload;
import io.steadfast.ike.payload.TrafficSelector;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The small value types of the session layer: pool, selectors, cookies, identities, retransmission, configuration. */
class ValueTypesTest {

    // ---- VirtualIpPool

    @Test
    void poolHandsOutAddressesInOrderSkippingNetworkAndBroadcast() throws Exception {
        VirtualIpPool pool = VirtualIpPool.parse("10.99.0.0/30");
        assertThat(pool.size()).isEqualTo(2);
        assertThat(pool.acquire("a").getHostAddress()).isEqualTo("10.99.0.1");
        assertThat(pool.acquire("b").getHostAddress()).isEqualTo("10.99.0.2");
        assertThat(pool.acquire("c")).isNull();
        assertThat(pool.leased()).isEqualTo(2);
    }

    @Test
    void poolGivesAnIdentityItsAddressBackAndReusesReleasedOnes() throws Exception {
        VirtualIpPool pool = VirtualIpPool.parse("10.99.0.17/24"); // host bits are ignored
        var a = pool.acquire("a");
        assertThat(a.getHostAddress()).isEqualTo("10.99.0.1");
        assertThat(pool.acquire("a")).isEqualTo(a);
        var b = pool.acquire("b");
        pool.release(a);
        pool.release(a); // twice: harmless
        pool.release((java.net.Inet4Address) InetAddress.getByName("192.0.2.1")); // unknown: ignored
        pool.release(null);
        assertThat(pool.leased()).isEqualTo(1);
        assertThat(pool.acquire("c")).isEqualTo(a);
        assertThat(pool.acquire("d").getHostAddress()).isEqualTo("10.99.0.3");
        assertThat(b.getHostAddress()).isEqualTo("10.99.0.2");
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.0", "10.0.0.0/31", "10.0.0.0/7", "fe80::/64", "10.0.0.0/x", "banana/24"})
    void badPoolsAreRefused(String cidr) {
        assertThatThrownBy(() -> VirtualIpPool.parse(cidr)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLargePoolIsNotEnumerated() {
        VirtualIpPool pool = VirtualIpPool.parse("10.0.0.0/8");
        assertThat(pool.size()).isEqualTo((1 << 24) - 2);
        assertThat(pool.acquire("x").getHostAddress()).isEqualTo("10.0.0.1");
    }

    // ---- TrafficSelectors

    static TrafficSelector ts(String cidr) {
        String[] p = cidr.split("/");
        return TrafficSelector.ipv4Subnet(p[0], Integer.parseInt(p[1]));
    }

    @Test
    void narrowingIntersectsAddressesProtocolsAndPorts() throws Exception {
        assertThat(TrafficSelectors.narrow(List.of(ts("0.0.0.0/0")), List.of(ts("10.10.0.0/16"))))
                .containsExactly(ts("10.10.0.0/16"));
        assertThat(TrafficSelectors.narrow(List.of(ts("10.10.1.0/24")), List.of(ts("10.10.0.0/16"))))
                .containsExactly(ts("10.10.1.0/24"));
        assertThat(TrafficSelectors.narrow(List.of(ts("172.16.0.0/12")), List.of(ts("10.10.0.0/16")))).isEmpty();
        byte[] a = InetAddress.getByName("10.10.0.0").getAddress();
        byte[] b = InetAddress.getByName("10.10.255.255").getAddress();
        TrafficSelector web = new TrafficSelector(Ike.TS_IPV4_ADDR_RANGE, 6, 80, 443, a, b);
        TrafficSelector udp = new TrafficSelector(Ike.TS_IPV4_ADDR_RANGE, 17, 0, 0xFFFF, a, b);
        assertThat(TrafficSelectors.narrow(List.of(ts("0.0.0.0/0")), List.of(web))).containsExactly(web);
        assertThat(TrafficSelectors.intersect(web, udp)).isNull();
        TrafficSelector high = new TrafficSelector(Ike.TS_IPV4_ADDR_RANGE, 6, 443, 8080, a, b);
        assertThat(TrafficSelectors.intersect(web, high))
                .isEqualTo(new TrafficSelector(Ike.TS_IPV4_ADDR_RANGE, 6, 443, 443, a, b));
        TrafficSelector v6 = new TrafficSelector(Ike.TS_IPV6_ADDR_RANGE, 0, 0, 0xFFFF, new byte[16], new byte[16]);
        assertThat(TrafficSelectors.intersect(v6, ts("0.0.0.0/0"))).isNull();
    }

    @Test
    void narrowingDropsDuplicatesAndKeepsOrder() {
        assertThat(TrafficSelectors.narrow(List.of(ts("10.0.0.0/8"), ts("10.10.0.0/16")),
                List.of(ts("10.10.0.0/16"), ts("10.20.0.0/16"))))
                .containsExactly(ts("10.10.0.0/16"), ts("10.20.0.0/16"));
    }

    @Test
    void withinChecksEverySelector() {
        assertThat(TrafficSelectors.within(List.of(ts("10.10.1.0/24"), ts("10.10.2.0/24")), List.of(ts("10.10.0.0/16"))))
                .isTrue();
        assertThat(TrafficSelectors.within(List.of(ts("10.10.1.0/24"), ts("10.11.0.0/24")), List.of(ts("10.10.0.0/16"))))
                .isFalse();
        assertThat(TrafficSelectors.within(List.of(ts("0.0.0.0/0")), List.of(ts("10.10.0.0/16")))).isFalse();
        assertThat(TrafficSelectors.host(new byte[] {10, 99, 0, 7})).isEqualTo(ts("10.99.0.7/32"));
    }

    @Test
    void theTopOfTheAddressSpaceIsUnsigned() {
        assertThat(TrafficSelectors.intersect(ts("255.255.255.0/24"), ts("128.0.0.0/1"))).isEqualTo(ts("255.255.255.0/24"));
        assertThat(TrafficSelectors.intersect(ts("127.0.0.0/8"), ts("128.0.0.0/1"))).isNull();
    }

    // ---- CookieJar

    static final InetSocketAddress A = new InetSocketAddress("192.0.2.1", 500);
    static final InetSocketAddress B = new InetSocketAddress("192.0.2.2", 500);

    @Test
    void cookiesAreBoundToNonceAddressAndSpi() {
        CookieJar jar = new CookieJar(new SecureRandom(), TimeUnit.MINUTES.toNanos(2), 0);
        byte[] ni = new byte[32];
        byte[] cookie = jar.make(ni, A, 42, 0);
        assertThat(cookie).hasSize(36);
        assertThat(jar.check(cookie, ni, A, 42, 1)).isTrue();
        assertThat(jar.check(cookie, ni, B, 42, 1)).isFalse();
        assertThat(jar.check(cookie, ni, A, 43, 1)).isFalse();
        byte[] otherNi = ni.clone();
        otherNi[0] = 1;
        assertThat(jar.check(cookie, otherNi, A, 42, 1)).isFalse();
        byte[] tampered = cookie.clone();
        tampered[10] ^= 1;
        assertThat(jar.check(tampered, ni, A, 42, 1)).isFalse();
        assertThat(jar.check(new byte[5], ni, A, 42, 1)).isFalse();
        // the port does not matter: a NAT may change it between the two requests
        assertThat(jar.check(cookie, ni, new InetSocketAddress("192.0.2.1", 4500), 42, 1)).isTrue();
    }

    @Test
    void aCookieSurvivesOneRotationButNotTwo() {
        long rotate = TimeUnit.MINUTES.toNanos(2);
        CookieJar jar = new CookieJar(new SecureRandom(), rotate, 0);
        byte[] ni = new byte[16];
        byte[] cookie = jar.make(ni, A, 7, 0);
        assertThat(jar.check(cookie, ni, A, 7, rotate + 1)).isTrue();
        assertThat(jar.make(ni, A, 7, rotate + 2)).isNotEqualTo(cookie);
        assertThat(jar.check(cookie, ni, A, 7, 2 * rotate + 3)).isFalse();
    }

    @Test
    void twoJarsDoNotAcceptEachOthersCookies() {
        CookieJar one = new CookieJar(new SecureRandom(), Long.MAX_VALUE, 0);
        CookieJar two = new CookieJar(new SecureRandom(), Long.MAX_VALUE, 0);
        byte[] ni = new byte[16];
        assertThat(two.check(one.make(ni, A, 1, 0), ni, A, 1, 0)).isFalse();
    }

    // ---- Identities

    @ParameterizedTest
    @CsvSource({"client.example, 2, fqdn:client.example", "@client.example, 2, fqdn:client.example",
            "alice@example.org, 3, email:alice@example.org", "192.0.2.7, 1, ipv4:192.0.2.7",
            "'CN=client.example, O=Steadfast', 9, 'dn:CN=client.example,O=Steadfast'"})
    void identitiesParseAsSwanctlWritesThem(String text, int type, String described) {
        IdPayload id = Identities.parse(text, true);
        assertThat(id.idType()).isEqualTo(type);
        assertThat(id.initiator()).isTrue();
        assertThat(Identities.describe(id)).isEqualTo(described);
        assertThat(Identities.matches(id, Identities.parse(text, false))).isTrue();
    }

    @Test
    void identitiesOfDifferentTypesDoNotMatch() {
        assertThat(Identities.matches(Identities.parse("a.example", true), Identities.parse("a.example@x", true))).isFalse();
        assertThatThrownBy(() -> Identities.parse(" ", true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Identities.parse("999.1.1.1", true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Identities.parse("CN=a, =b", true)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- Retransmission

    @Test
    void retransmissionTimeoutsGrowByTheBase() {
        Retransmission r = new Retransmission(Duration.ofMillis(500), 1.8, 5);
        assertThat(r.timeoutNanos(0)).isEqualTo(500_000_000L);
        assertThat(r.timeoutNanos(1)).isEqualTo(900_000_000L);
        assertThat(r.timeoutNanos(2)).isEqualTo(1_620_000_000L);
        assertThat(Retransmission.DEFAULT.giveUpNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(31));
        assertThat(new Retransmission(Duration.ofSeconds(4), 1.8, 5).giveUpNanos() / 1_000_000_000L).isEqualTo(165);
        assertThat(new Retransmission(Duration.ofDays(365), 100, 50).timeoutNanos(50)).isEqualTo(Long.MAX_VALUE / 2);
    }

    @Test
    void badRetransmissionSettingsAreRefused() {
        assertThatThrownBy(() -> new Retransmission(Duration.ZERO, 2, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Retransmission(Duration.ofSeconds(1), 0.5, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Retransmission(Duration.ofSeconds(1), 2, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- configuration

    @Test
    void configurationTyposFailWithStrongSwansKeywords() {
        assertThatThrownBy(() -> InitiatorConfig.psk("c", new byte[] {1}, "aes128gcm16-prfsha256-x2559", "aes128gcm16",
                Wire.CLOUD)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown algorithm 'x2559'")
                .hasMessageContaining("x25519");
        assertThatThrownBy(() -> InitiatorConfig.psk("c", new byte[] {1}, "aes128gcm16-prfsha256-x25519", "aes128-sha256",
                Wire.CLOUD)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InitiatorConfig.psk("c", new byte[0], "aes128gcm16-prfsha256-x25519", "aes128gcm16",
                Wire.CLOUD)).hasMessageContaining("pre-shared key or certificates");
        assertThatThrownBy(() -> InitiatorConfig.psk("c", new byte[] {1}, "aes128gcm16-prfsha256-x25519", "aes128gcm16",
                List.of())).hasMessageContaining("no remote traffic selector");
        assertThatThrownBy(() -> Wire.client().withNattPort(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Wire.client().withFragmentSize(100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResponderConfig.psk("gw", Map.of("c", new byte[0]), "aes128gcm16-prfsha256-x25519",
                "aes128gcm16", Wire.CLOUD, null)).hasMessageContaining("empty pre-shared key for c");
        assertThatThrownBy(() -> ResponderConfig.psk("gw", Map.of(), "aes128gcm16-prfsha256-x25519", "aes128gcm16",
                Wire.CLOUD, "10.0.0.0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void configurationsNeverPrintTheirKeys() {
        InitiatorConfig c = Wire.client();
        assertThat(c.toString()).doesNotContain(new String(Wire.PSK)).contains("client.example", "aes128gcm16");
        assertThat(Wire.gateway().toString()).doesNotContain(new String(Wire.PSK)).contains("client.example");
        byte[] key = c.psk();
        key[0] ^= 1; // a copy: the configuration keeps its key
        assertThat(c.psk()).isEqualTo(Wire.PSK);
        assertThat(c).isEqualTo(Wire.client()).hasSameHashCodeAs(Wire.client());
        assertThat(c).isNotEqualTo(c.withPsk(new byte[] {9}));
        assertThat(Wire.gateway().pskFor("fqdn:client.example")).isEqualTo(Wire.PSK);
        assertThat(Wire.gateway().pskFor("fqdn:other.example")).isNull();
    }

    // ---- Actions

    @Test
    void actionsCombineInOrder() {
        Datagram d1 = new Datagram(A, new byte[] {1});
        Datagram d2 = new Datagram(B, new byte[] {2});
        Actions one = new Actions(List.of(d1), List.of());
        Actions two = new Actions(List.of(d2), List.of());
        assertThat(one.and(two).datagrams()).containsExactly(d1, d2);
        assertThat(Actions.NONE.and(one)).isSameAs(one);
        assertThat(one.and(Actions.NONE)).isSameAs(one);
        assertThat(Actions.NONE.isEmpty()).isTrue();
        assertThat(d1.toString()).isEqualTo("1 bytes to " + A);
    }
}
