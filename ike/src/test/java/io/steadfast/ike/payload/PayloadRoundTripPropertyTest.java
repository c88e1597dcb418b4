package io.steadfast.ike.payload;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.ike.Ike;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/** Random payloads of every kind, in random chains, parse back to what was encoded. */
class PayloadRoundTripPropertyTest {
    static byte[] bytes(Random r, int min, int max) {
        byte[] b = new byte[min + r.nextInt(max - min + 1)];
        r.nextBytes(b);
        return b;
    }

    static Transform transform(Random r) {
        int type = 1 + r.nextInt(5);
        return Transform.of(type, r.nextInt(0x10000), r.nextBoolean() ? 0 : 1 + r.nextInt(0xffff));
    }

    static Proposal proposal(Random r, int number) {
        List<Transform> transforms = new ArrayList<>();
        for (int i = r.nextInt(8); i >= 0; i--) {
            transforms.add(transform(r));
        }
        int spiLength = new int[] {0, 4, 8}[r.nextInt(3)];
        return new Proposal(number, 1 + r.nextInt(3), bytes(r, spiLength, spiLength), transforms);
    }

    static TrafficSelector selector(Random r) {
        int length = r.nextBoolean() ? 4 : 16;
        return new TrafficSelector(length == 4 ? Ike.TS_IPV4_ADDR_RANGE : Ike.TS_IPV6_ADDR_RANGE, r.nextInt(256),
                r.nextInt(0x10000), r.nextInt(0x10000), bytes(r, length, length), bytes(r, length, length));
    }

    static Payload payload(Random r) {
        return switch (r.nextInt(14)) {
            case 0 -> {
                List<Proposal> proposals = new ArrayList<>();
                for (int i = 1; i <= 1 + r.nextInt(4); i++) {
                    proposals.add(proposal(r, i));
                }
                yield new SaPayload(proposals);
            }
            case 1 -> new KePayload(r.nextInt(0x10000), bytes(r, 1, 300));
            case 2 -> new IdPayload(r.nextBoolean(), new int[] {2, 3, 9, 11}[r.nextInt(4)], bytes(r, 0, 100));
            case 3 -> new CertPayload(r.nextInt(256), bytes(r, 0, 500));
            case 4 -> new CertRequestPayload(r.nextInt(256), bytes(r, 0, 100));
            case 5 -> new AuthPayload(r.nextInt(256), bytes(r, 1, 100));
            case 6 -> new NoncePayload(bytes(r, 16, 256));
            case 7 -> new NotifyPayload(r.nextInt(256), bytes(r, 0, 8), r.nextInt(0x10000), bytes(r, 0, 64));
            case 8 -> r.nextBoolean() ? DeletePayload.ikeSa() : DeletePayload.esp(r.ints(1 + r.nextInt(5)).toArray());
            case 9 -> new VendorIdPayload(bytes(r, 0, 40));
            case 10, 11 -> {
                List<TrafficSelector> selectors = new ArrayList<>();
                for (int i = r.nextInt(4); i >= 0; i--) {
                    selectors.add(selector(r));
                }
                yield new TsPayload(r.nextBoolean(), selectors);
            }
            case 12 -> {
                List<ConfigAttribute> attributes = new ArrayList<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    attributes.add(new ConfigAttribute(r.nextInt(0x8000), bytes(r, 0, 16)));
                }
                yield new CpPayload(1 + r.nextInt(4), attributes);
            }
            default -> new VendorIdPayload(new byte[0]);
        };
    }

    @RepeatedTest(200)
    void randomChainsRoundTrip(RepetitionInfo info) throws Exception {
        Random r = new Random(info.getCurrentRepetition());
        List<Payload> payloads = new ArrayList<>();
        for (int i = r.nextInt(6); i >= 0; i--) {
            payloads.add(payload(r));
        }
        byte[] chain = PayloadChain.encode(payloads);
        List<Payload> parsed = PayloadChain.parse(chain, 0, chain.length, PayloadChain.firstType(payloads), false);
        assertThat(parsed).usingRecursiveComparison().isEqualTo(payloads);
        assertThat(PayloadChain.encode(parsed)).isEqualTo(chain);
    }
}
