package io.steadfast.ike.payload;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.ike.Hex;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;
import io.steadfast.ike.proposal.ProposalSyntax;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-made inner payload chains of the exchanges after IKE_AUTH, parsed and re-encoded. */
class WireFixturesTest {
    /** CREATE_CHILD_SA request rekeying ESP SA c1000001 with PFS (RFC 7296 1.3.3): N(REKEY_SA) SA Ni KEi TSi TSr. */
    static final String REKEY_CHILD_REQUEST = """
            21 00 000c  03 04 4009 c1000001             # N(REKEY_SA), ESP, SPI c1000001; next SA
            28 00 002c                                  # SA, length 44; next Nonce
               00 00 0028  01 03 04 03  c3000003        #   proposal 1, ESP, SPI c3000003, 3 transforms
               03 00 000c  01 00 0014  800e 0080        #   ENCR AES_GCM_16 128
               03 00 0008  04 00 001f                   #   DH 31
               00 00 0008  05 00 0000                   #   ESN no
            22 00 0014  00112233445566778899aabbccddeeff # Ni (16 bytes); next KE
            2c 00 0028  001f 0000                       # KEi, group 31; next TSi
               8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a
            2d 00 0018  01 000000  07 00 0010 0000 ffff 0a630007 0a630007   # TSi 10.99.0.7/32; next TSr
            00 00 0018  01 000000  07 00 0010 0000 ffff 0a0a0000 0a0affff   # TSr 10.10.0.0/16
            """;

    /** INFORMATIONAL request deleting two ESP SAs. */
    static final String DELETE_CHILDREN = "00 00 0010  03 04 0002  c1000001 c2000002";

    /** INFORMATIONAL request deleting the IKE SA. */
    static final String DELETE_IKE = "00 00 0008  01 00 0000";

    /** IKE_AUTH response of a gateway: IDr AUTH CP(REPLY) SA TSi TSr N(MOBIKE_SUPPORTED). */
    static final String IKE_AUTH_RESPONSE = """
            27 00 0012  02 000000 67772e6578616d706c65     # IDr fqdn gw.example; next AUTH
            2f 00 0028  02 000000                          # AUTH shared key MIC; next CP
               000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
            21 00 0018  02 000000                          # CP CFG_REPLY; next SA
               0001 0004 0a630007  0003 0004 0a630035      #   address 10.99.0.7, DNS 10.99.0.53
            2c 00 0024                                     # SA; next TSi
               00 00 0020  01 03 04 02  c2000002           #   proposal 1, ESP, SPI c2000002
               03 00 000c  01 00 0014  800e 0080           #   ENCR AES_GCM_16 128
               00 00 0008  05 00 0000                      #   ESN no
            2d 00 0018  01 000000  07 00 0010 0000 ffff 0a630007 0a630007
            29 00 0018  01 000000  07 00 0010 0000 ffff 0a0a0000 0a0affff
            00 00 0008  00 00 400c                         # N(MOBIKE_SUPPORTED)
            """;

    static List<Payload> parse(String hex, int first) throws IkeParseException {
        byte[] bytes = Hex.bytes(hex);
        List<Payload> payloads = PayloadChain.parse(bytes, 0, bytes.length, first, false);
        assertThat(PayloadChain.encode(payloads)).isEqualTo(bytes);
        return payloads;
    }

    @Test
    void rekeyChildRequest() throws Exception {
        List<Payload> p = parse(REKEY_CHILD_REQUEST, Ike.PAYLOAD_NOTIFY);
        assertThat(p).extracting(Payload::type).containsExactly(Ike.PAYLOAD_NOTIFY, Ike.PAYLOAD_SA, Ike.PAYLOAD_NONCE,
                Ike.PAYLOAD_KE, Ike.PAYLOAD_TSI, Ike.PAYLOAD_TSR);
        NotifyPayload rekey = (NotifyPayload) p.get(0);
        assertThat(rekey.notifyType()).isEqualTo(Ike.NOTIFY_REKEY_SA);
        assertThat(rekey.protocolId()).isEqualTo(Ike.PROTOCOL_ESP);
        assertThat(rekey.spi()).isEqualTo(Hex.bytes("c1000001"));
        Proposal proposal = ((SaPayload) p.get(1)).proposals().get(0);
        assertThat(ProposalSyntax.render(proposal)).isEqualTo("aes128gcm16-x25519");
        assertThat(proposal.spiAsInt()).isEqualTo(0xc3000003);
        assertThat(((NoncePayload) p.get(2)).nonce()).hasSize(16);
        assertThat(((KePayload) p.get(3)).group()).isEqualTo(Ike.DH_CURVE25519);
        assertThat(p.get(4).toString()).isEqualTo("TSi[10.99.0.7..10.99.0.7]");
        assertThat(p.get(5).toString()).isEqualTo("TSr[10.10.0.0..10.10.255.255]");
    }

    @Test
    void rekeyChildRequestBuiltFromParts() {
        List<Payload> built = List.of(NotifyPayload.forEsp(Ike.NOTIFY_REKEY_SA, 0xc1000001, new byte[0]),
                SaPayload.of(ProposalSyntax.parseEsp("aes128gcm16-x25519", 1, Hex.bytes("c3000003"))),
                new NoncePayload(Hex.bytes("00112233445566778899aabbccddeeff")),
                new KePayload(Ike.DH_CURVE25519, Hex.bytes("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")),
                new TsPayload(true, List.of(TrafficSelector.ipv4Subnet("10.99.0.7", 32))),
                new TsPayload(false, List.of(TrafficSelector.ipv4Subnet("10.10.0.0", 16))));
        assertThat(Hex.of(PayloadChain.encode(built))).isEqualTo(Hex.of(Hex.bytes(REKEY_CHILD_REQUEST)));
    }

    @Test
    void deletes() throws Exception {
        DeletePayload children = (DeletePayload) parse(DELETE_CHILDREN, Ike.PAYLOAD_DELETE).get(0);
        assertThat(children.spis()).containsExactly(0xc1000001, 0xc2000002);
        assertThat(Hex.of(PayloadChain.encode(List.of(DeletePayload.esp(0xc1000001, 0xc2000002)))))
                .isEqualTo(Hex.of(Hex.bytes(DELETE_CHILDREN)));
        DeletePayload ike = (DeletePayload) parse(DELETE_IKE, Ike.PAYLOAD_DELETE).get(0);
        assertThat(ike.protocolId()).isEqualTo(Ike.PROTOCOL_IKE);
        assertThat(ike.spis()).isEmpty();
    }

    @Test
    void gatewaysIkeAuthResponse() throws Exception {
        List<Payload> p = parse(IKE_AUTH_RESPONSE, Ike.PAYLOAD_IDR);
        assertThat(p).extracting(Payload::type).containsExactly(Ike.PAYLOAD_IDR, Ike.PAYLOAD_AUTH, Ike.PAYLOAD_CP,
                Ike.PAYLOAD_SA, Ike.PAYLOAD_TSI, Ike.PAYLOAD_TSR, Ike.PAYLOAD_NOTIFY);
        assertThat(((IdPayload) p.get(0)).text()).isEqualTo("gw.example");
        assertThat(((AuthPayload) p.get(1)).data()).hasSize(32);
        CpPayload cp = (CpPayload) p.get(2);
        assertThat(cp.ipv4(Ike.ATTR_INTERNAL_IP4_ADDRESS).get(0).getHostAddress()).isEqualTo("10.99.0.7");
        assertThat(cp.ipv4(Ike.ATTR_INTERNAL_IP4_DNS).get(0).getHostAddress()).isEqualTo("10.99.0.53");
        assertThat(((SaPayload) p.get(3)).proposals().get(0).spiAsInt()).isEqualTo(0xc2000002);
        assertThat(((NotifyPayload) p.get(6)).notifyType()).isEqualTo(Ike.NOTIFY_MOBIKE_SUPPORTED);
    }
}
