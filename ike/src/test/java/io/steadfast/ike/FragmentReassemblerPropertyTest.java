package io.steadfast.ike;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.ike.FragmentReassembler.Complete;
import io.steadfast.ike.FragmentReassembler.Discarded;
import io.steadfast.ike.FragmentReassembler.Result;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * Fragments in random order with duplicates: the message completes exactly once, when the last one arrives;
 * later copies are discarded as retransmissions.
 */
class FragmentReassemblerPropertyTest {
    @RepeatedTest(200)
    void anyOrderWithDuplicatesCompletesOnce(RepetitionInfo info) {
        Random r = new Random(info.getCurrentRepetition());
        int total = 1 + r.nextInt(12);
        List<byte[]> parts = new ArrayList<>();
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (int i = 0; i < total; i++) {
            byte[] part = new byte[1 + r.nextInt(50)];
            r.nextBytes(part);
            parts.add(part);
            whole.writeBytes(part);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 1; i <= total; i++) {
            order.add(i);
            if (r.nextInt(3) == 0) {
                order.add(i);
            }
        }
        Collections.shuffle(order, r);
        FragmentReassembler reassembler = new FragmentReassembler(16, 4096, 1_000_000_000L);
        IkeHeader header = IkeHeader.of(1, 2, Ike.EXCHANGE_IKE_AUTH, Ike.FLAG_RESPONSE, 1);
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        int completes = 0;
        for (int number : order) {
            boolean fresh = seen.add(number);
            Result result = reassembler.offer(header, number, total, number == 1 ? Ike.PAYLOAD_IDR : 0,
                    parts.get(number - 1), 0);
            if (result instanceof Complete c) {
                completes++;
                assertThat(seen).hasSize(total);
                assertThat(c.plaintext()).isEqualTo(whole.toByteArray());
                assertThat(c.firstInnerType()).isEqualTo(Ike.PAYLOAD_IDR);
            } else if (!fresh || completes > 0) {
                assertThat(result).isInstanceOf(Discarded.class);
            }
        }
        assertThat(completes).isEqualTo(1);
    }

    @RepeatedTest(50)
    void aMissingFragmentNeverCompletes(RepetitionInfo info) {
        Random r = new Random(info.getCurrentRepetition());
        int total = 2 + r.nextInt(10);
        int missing = 1 + r.nextInt(total);
        FragmentReassembler reassembler = new FragmentReassembler(16, 4096, 1_000_000_000L);
        IkeHeader header = IkeHeader.of(1, 2, Ike.EXCHANGE_IKE_AUTH, Ike.FLAG_RESPONSE, 1);
        for (int round = 0; round < 3; round++) {
            for (int number = 1; number <= total; number++) {
                if (number != missing) {
                    assertThat(reassembler.offer(header, number, total, 0, new byte[] {(byte) number}, 0))
                            .isNotInstanceOf(Complete.class);
                }
            }
        }
        assertThat(reassembler.isActive()).isTrue();
    }
}
