package io.steadfast.ike.payload;

import static io.steadfast.ike.payload.Payloads.assertRoundTrip;
import static io.steadfast.ike.payload.Payloads.failure;
import static io.steadfast.ike.payload.Payloads.parseBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steadfast.ike.Fixtures;
import io.steadfast.ike.Ike;
import io.steadfast.ike.IkeParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SaPayloadTest {
    /** Two proposals: IKE aes256-sha256-modp2048 (#1) and an ESP aes128gcm16-noesn (#2, SPI c0ffee01). */
    static final String TWO_PROPOSALS = """
            02 00 002c  01 01 00 04          # more, length 44, #1, IKE, no SPI, 4 transforms
            03 00 000c  01 00 000c  800e 0100 # ENCR AES_CBC, Key Length 256
            03 00 0008  03 00 000c           # INTEG HMAC_SHA2_256_128
            03 00 0008  02 00 0005           # PRF HMAC_SHA2_256
            00 00 0008  04 00 000e           # DH 14
            00 00 0020  02 03 04 02  c0ffee01 # last, length 32, #2, ESP, 4-byte SPI, 2 transforms
            03 00 000c  01 00 0014  800e 0080 # ENCR AES_GCM_16, Key Length 128
            00 00 0008  05 00 0000           # ESN no
            """;

    static List<Proposal> twoProposals() {
        return List.of(
                new Proposal(1, Ike.PROTOCOL_IKE, new byte[0], List.of(
                        Transform.of(Ike.TRANSFORM_ENCR, Ike.ENCR_AES_CBC, 256),
                        Transform.of(Ike.TRANSFORM_INTEG, Ike.INTEG_HMAC_SHA2_256_128),
                        Transform.of(Ike.TRANSFORM_PRF, Ike.PRF_HMAC_SHA2_256),
                        Transform.of(Ike.TRANSFORM_DH, Ike.DH_MODP_2048))),
                new Proposal(2, Ike.PROTOCOL_ESP, new byte[] {(byte) 0xc0, (byte) 0xff, (byte) 0xee, 0x01}, List.of(
                        Transform.of(Ike.TRANSFORM_ENCR, Ike.ENCR_AES_GCM_16, 128),
                        Transform.of(Ike.TRANSFORM_ESN, Ike.ESN_NO))));
    }

    @Test
    void oneIkeProposalRoundTrips() throws Exception {
        assertRoundTrip(SaPayload.of(Fixtures.ikeProposal()), Fixtures.SA_BODY);
    }

    @Test
    void twoProposalsRoundTrip() throws Exception {
        assertRoundTrip(new SaPayload(twoProposals()), TWO_PROPOSALS);
    }

    @Test
    void accessorsFindTransformsByType() throws Exception {
        SaPayload sa = (SaPayload) parseBody(Ike.PAYLOAD_SA, TWO_PROPOSALS);
        Proposal ike = sa.proposals().get(0);
        assertThat(ike.first(Ike.TRANSFORM_ENCR).keyLength()).isEqualTo(256);
        assertThat(ike.transforms(Ike.TRANSFORM_DH)).containsExactly(Transform.of(Ike.TRANSFORM_DH, Ike.DH_MODP_2048));
        assertThat(ike.first(Ike.TRANSFORM_ESN)).isNull();
        assertThat(sa.proposals().get(1).spiAsInt()).isEqualTo(0xc0ffee01);
        assertThatThrownBy(ike::spiAsInt).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void severalTransformsOfOneTypeKeepTheirOrder() throws Exception {
        Proposal offer = new Proposal(1, Ike.PROTOCOL_IKE, new byte[0], List.of(
                Transform.of(Ike.TRANSFORM_ENCR, Ike.ENCR_AES_GCM_16, 256),
                Transform.of(Ike.TRANSFORM_ENCR, Ike.ENCR_AES_GCM_16, 128),
                Transform.of(Ike.TRANSFORM_PRF, Ike.PRF_HMAC_SHA2_512),
                Transform.of(Ike.TRANSFORM_PRF, Ike.PRF_HMAC_SHA2_256),
                Transform.of(Ike.TRANSFORM_DH, Ike.DH_CURVE25519),
                Transform.of(Ike.TRANSFORM_DH, Ike.DH_ECP_256)));
        SaPayload parsed = (SaPayload) parseBody(Ike.PAYLOAD_SA, io.steadfast.ike.Hex.of(SaPayload.of(offer).body()));
        assertThat(parsed.proposals().get(0).transforms(Ike.TRANSFORM_ENCR)).extracting(Transform::keyLength)
                .containsExactly(256, 128);
        assertThat(parsed.proposals().get(0).transforms()).isEqualTo(offer.transforms());
    }

    @Test
    void unknownAttributesMarkTheTransform() throws Exception {
        SaPayload sa = (SaPayload) parseBody(Ike.PAYLOAD_SA, """
                00 00 001c  01 01 00 01
                00 00 0014  01 00 0014  800e 0080  # ENCR AES_GCM_16, Key Length 128
                800f 0001                        # unknown TV attribute 15
                0010 0000                        # unknown TLV attribute 16, empty
                """);
        Transform t = sa.proposals().get(0).transforms().get(0);
        assertThat(t.keyLength()).isEqualTo(128);
        assertThat(t.unknownAttributes()).isTrue();
        assertThat(t.toString()).contains("+attrs");
    }

    @Test
    void keyLengthInTlvFormIsUnknown() throws Exception {
        SaPayload sa = (SaPayload) parseBody(Ike.PAYLOAD_SA, """
                00 00 0016  01 01 00 01
                00 00 000e  01 00 0014  000e 0002 0080   # Key Length as TLV: not allowed
                """);
        Transform t = sa.proposals().get(0).transforms().get(0);
        assertThat(t.keyLength()).isZero();
        assertThat(t.unknownAttributes()).isTrue();
    }

    @Test
    void emptyBodyIsInvalidSyntax() {
        assertThat(failure(Ike.PAYLOAD_SA, "").notifyType()).isEqualTo(Ike.NOTIFY_INVALID_SYNTAX);
    }

    @Test
    void proposalLengthShorterThanItsHeader() {
        assertThat(failure(Ike.PAYLOAD_SA, "00 00 0007 01 01 00 00")).hasMessageContaining("proposal length 7");
    }

    @Test
    void proposalLengthBeyondThePayload() {
        assertThat(failure(Ike.PAYLOAD_SA, "00 00 0010 01 01 00 00")).hasMessageContaining("proposal: needs 12 bytes");
    }

    @Test
    void proposalLongerThanItsTransforms() {
        assertThat(failure(Ike.PAYLOAD_SA, """
                00 00 0011  01 01 00 01
                00 00 0008  04 00 001f  ff      # one stray byte inside the proposal
                """)).hasMessageContaining("trailing");
    }

    @Test
    void transformCountLargerThanTheTransforms() {
        assertThat(failure(Ike.PAYLOAD_SA, """
                00 00 0010  01 01 00 02
                03 00 0008  04 00 001f
                """)).hasMessageContaining("transform last-substructure");
    }

    @Test
    void transformLengthShorterThanItsHeader() {
        assertThat(failure(Ike.PAYLOAD_SA, """
                00 00 0010  01 01 00 01
                00 00 0007  04 00 001f
                """)).hasMessageContaining("transform length 7");
    }

    @Test
    void transformLengthBeyondTheProposal() {
        assertThat(failure(Ike.PAYLOAD_SA, """
                00 00 0010  01 01 00 01
                00 00 0009  04 00 001f
                """)).hasMessageContaining("transform: needs 5");
    }

    @Test
    void lastTransformMarkedMore() {
        assertThat(failure(Ike.PAYLOAD_SA, """
                00 00 0010  01 01 00 01
                03 00 0008  04 00 001f
                """)).hasMessageContaining("transform marked 3 where 0 belongs");
    }

    @Test
    void earlierTransformMarkedLast() {
        assertThat(failure(Ike.PAYLOAD_SA, """
                00 00 0018  01 01 00 02
                00 00 0008  04 00 001f
                00 00 0008  02 00 0005
                """)).hasMessageContaining("transform marked 0 where 3 belongs");
    }

    @Test
    void proposalMarkedLastWithMoreFollowing() {
        assertThat(failure(Ike.PAYLOAD_SA, """
                00 00 0010  01 01 00 01  00 00 0008  04 00 001f
                00 00 0010  02 01 00 01  00 00 0008  04 00 001f
                """)).hasMessageContaining("proposals follow the one marked last");
    }

    @Test
    void lastProposalMarkedMore() {
        assertThat(failure(Ike.PAYLOAD_SA, "02 00 0010  01 01 00 01  00 00 0008  04 00 001f"))
                .hasMessageContaining("last proposal is marked 'more'");
    }

    @Test
    void proposalMarkNeitherLastNorMore() {
        assertThat(failure(Ike.PAYLOAD_SA, "01 00 0010  01 01 00 01  00 00 0008  04 00 001f"))
                .hasMessageContaining("neither last");
    }

    @Test
    void spiSizeBeyondTheProposal() {
        assertThat(failure(Ike.PAYLOAD_SA, "00 00 000a  01 03 04 00  c0ff")).hasMessageContaining("SPI: needs 4");
    }

    @Test
    void truncatedAttribute() {
        assertThat(failure(Ike.PAYLOAD_SA, """
                00 00 0012  01 01 00 01
                00 00 000a  01 00 0014  800e
                """)).hasMessageContaining("attribute value");
        assertThat(failure(Ike.PAYLOAD_SA, """
                00 00 0014  01 01 00 01
                00 00 000c  01 00 0014  000e 0009
                """)).hasMessageContaining("attribute value: needs 9");
    }

    @Test
    void constructorsCheckRanges() {
        assertThatThrownBy(() -> new SaPayload(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Transform.of(Ike.TRANSFORM_ENCR, 0x10000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Transform.of(256, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Proposal(256, 1, new byte[0], List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sameAlgorithmIgnoresTheUnknownMark() {
        Transform plain = Transform.of(Ike.TRANSFORM_ENCR, Ike.ENCR_AES_GCM_16, 128);
        assertThat(plain.sameAlgorithm(new Transform(Ike.TRANSFORM_ENCR, Ike.ENCR_AES_GCM_16, 128, true))).isTrue();
        assertThat(plain.sameAlgorithm(Transform.of(Ike.TRANSFORM_ENCR, Ike.ENCR_AES_GCM_16, 256))).isFalse();
    }

    @Test
    void withReplacesNumberAndSpi() {
        Proposal p = twoProposals().get(1).with(1, new byte[] {1, 2, 3, 4});
        assertThat(p.number()).isEqualTo(1);
        assertThat(p.spiAsInt()).isEqualTo(0x01020304);
        assertThat(p.transforms()).isEqualTo(twoProposals().get(1).transforms());
    }

    @Test
    void toStringNamesTheTransforms() {
        assertThat(new SaPayload(twoProposals()).toString()).isEqualTo(
                "SA[#1 IKE:AES_CBC_256/HMAC_SHA2_256_128/HMAC_SHA2_256/MODP_2048, #2 ESP(c0ffee01):AES_GCM_16_128/NO]");
    }

    @Test
    void parseNeverReadsOutsideTheBody() throws IkeParseException {
        // The SA payload sits in a larger array; a proposal length pointing past the payload must not see the rest.
        assertThat(failure(Ike.PAYLOAD_SA, "00 00 0024 01 01 00 03")).hasMessageContaining("proposal: needs 32");
    }
}
