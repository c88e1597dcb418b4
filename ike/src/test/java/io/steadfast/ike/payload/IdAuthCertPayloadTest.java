package io.steadfast.ike.payload;

import static io.steadfast.ike.payload.Payloads.assertRoundTrip;
import static io.steadfast.ike.payload.Payloads.failure;
import static io.steadfast.ike.payload.Payloads.parseBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.ike.Hex;
import io.steadfast.ike.Ike;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

class IdAuthCertPayloadTest {
    @Test
    void ipv4Identity() throws Exception {
        IdPayload id = IdPayload.ipv4(true, (Inet4Address) InetAddress.getByName("192.0.2.1"));
        assertRoundTrip(id, "01 000000 c0000201");
        assertThat(id.type()).isEqualTo(Ike.PAYLOAD_IDI);
        assertThat(id.text()).isEqualTo("192.0.2.1");
        assertThat(id.toString()).isEqualTo("IDi(ipv4 192.0.2.1)");
    }

    @Test
    void fqdnIdentity() throws Exception {
        IdPayload id = IdPayload.fqdn(false, "gw1.example");
        assertRoundTrip(id, "02 000000 6777312e6578616d706c65");
        assertThat(id.type()).isEqualTo(Ike.PAYLOAD_IDR);
        assertThat(id.toString()).isEqualTo("IDr(fqdn gw1.example)");
    }

    @Test
    void rfc822Identity() throws Exception {
        IdPayload id = IdPayload.rfc822(true, "a@b.c");
        assertRoundTrip(id, "03 000000 6140622e63");
        assertThat(id.text()).isEqualTo("a@b.c");
    }

    @Test
    void derDnIdentity() throws Exception {
        byte[] der = new X500Principal("CN=gw1, O=Steadfast").getEncoded();
        IdPayload id = IdPayload.derAsn1Dn(false, der);
        assertRoundTrip(id, "09 000000 " + Hex.of(der));
        assertThat(new X500Principal(((IdPayload) parseBody(Ike.PAYLOAD_IDR, "09000000" + Hex.of(der))).data()).getName())
                .isEqualTo("CN=gw1,O=Steadfast");
    }

    @Test
    void ipv6Identity() throws Exception {
        IdPayload id = (IdPayload) parseBody(Ike.PAYLOAD_IDI, "05 000000 20010db8000000000000000000000001");
        assertThat(id.text()).isEqualTo("2001:db8:0:0:0:0:0:1");
    }

    @Test
    void reservedBytesAreIgnoredOnParseAndZeroOnEncode() throws Exception {
        IdPayload id = (IdPayload) parseBody(Ike.PAYLOAD_IDI, "02 ffffff 61");
        assertThat(Hex.of(id.body())).isEqualTo("0200000061");
    }

    @Test
    void addressIdentitiesNeedAddressLengths() {
        assertThat(failure(Ike.PAYLOAD_IDI, "01 000000 c00002")).hasMessageContaining("ID_IPV4_ADDR with 3 bytes");
        assertThat(failure(Ike.PAYLOAD_IDR, "05 000000 c0000201")).hasMessageContaining("ID_IPV6_ADDR with 4 bytes");
        assertThat(failure(Ike.PAYLOAD_IDI, "02 0000")).hasMessageContaining("ID reserved");
        assertThatThrownBy(() -> new IdPayload(true, Ike.ID_IPV4_ADDR, new byte[5])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void otherIdentityTypesPrintAsHex() throws Exception {
        IdPayload id = (IdPayload) parseBody(Ike.PAYLOAD_IDI, "0b 000000 0102");
        assertThat(id.toString()).isEqualTo("IDi(keyid 0102)");
    }

    @Test
    void authRoundTrips() throws Exception {
        byte[] mic = Hex.bytes("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        assertRoundTrip(new AuthPayload(Ike.AUTH_SHARED_KEY_MIC, mic), "02 000000 " + Hex.of(mic));
        assertRoundTrip(new AuthPayload(Ike.AUTH_DIGITAL_SIGNATURE, Hex.bytes("0a0b")), "0e 000000 0a0b");
        assertThat(new AuthPayload(2, mic).toString()).isEqualTo("AUTH(2, 32 bytes)");
    }

    @Test
    void authWithoutDataIsInvalidSyntax() {
        assertThat(failure(Ike.PAYLOAD_AUTH, "02 000000")).hasMessageContaining("without authentication data");
        assertThat(failure(Ike.PAYLOAD_AUTH, "02 00")).hasMessageContaining("auth reserved");
    }

    @Test
    void certRoundTrips() throws Exception {
        assertRoundTrip(CertPayload.x509(Hex.bytes("3082")), "04 3082");
        CertPayload crl = (CertPayload) parseBody(Ike.PAYLOAD_CERT, "07");
        assertThat(crl.encoding()).isEqualTo(Ike.CERT_CRL);
        assertThat(crl.data()).isEmpty();
        assertThat(failure(Ike.PAYLOAD_CERT, "")).hasMessageContaining("certificate encoding");
    }

    @Test
    void certRequestListsCaKeyHashes() throws Exception {
        byte[] a = new byte[20];
        byte[] b = new byte[20];
        a[0] = 1;
        b[19] = 2;
        CertRequestPayload req = CertRequestPayload.x509(List.of(a, b));
        assertRoundTrip(req, "04 " + Hex.of(a) + Hex.of(b));
        assertThat(req.keyHashes()).hasSize(2);
        assertThat(req.keyHashes().get(1)).isEqualTo(b);
        assertRoundTrip(CertRequestPayload.x509(List.of()), "04");
        CertRequestPayload odd = (CertRequestPayload) parseBody(Ike.PAYLOAD_CERTREQ, "04 0102");
        assertThatThrownBy(odd::keyHashes).hasMessageContaining("not n*20");
        assertThatThrownBy(() -> CertRequestPayload.x509(List.of(new byte[19]))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void vendorIdIsKeptAsBytes() throws Exception {
        byte[] strongswan = Hex.bytes("882fe56d6fd20dbc2251613b2ebe5beb");
        assertRoundTrip(new VendorIdPayload(strongswan), Hex.of(strongswan));
        assertRoundTrip(new VendorIdPayload(new byte[0]), "");
        assertThat(new VendorIdPayload(strongswan).toString()).isEqualTo("V(882fe56d6fd20dbc2251613b2ebe5beb)");
        assertThat(new VendorIdPayload(new byte[40]).toString()).endsWith("..(40 bytes))");
    }
}
