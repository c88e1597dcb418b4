package io.steadfast.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Counter names are the reason in lower case with dashes, under {@code dropped.}, and all differ. */
class RelayDropReasonTest {
    @Test
    void counterNames() {
        assertThat(RelayDropReason.NOT_IPIP.counterName()).isEqualTo("dropped.not-ipip");
        assertThat(RelayDropReason.SPOOFED_INNER_SOURCE.counterName()).isEqualTo("dropped.spoofed-inner-source");
        assertThat(RelayDropReason.WRONG_CARE_OF.counterName()).isEqualTo("dropped.wrong-care-of");
        assertThat(RelayDropReason.STABLE_ADDRESS_NOT_ALLOWED.counterName()).isEqualTo("dropped.stable-address-not-allowed");
        assertThat(Arrays.stream(RelayDropReason.values()).map(RelayDropReason::counterName).distinct().count())
                .isEqualTo(RelayDropReason.values().length);
        assertThat(Arrays.stream(RelayDropReason.values()).map(RelayDropReason::counterName))
                .allMatch(name -> name.matches("dropped\\.[a-z0-9]+(-[a-z0-9]+)*"));
    }

    @Test
    void theReasonsTheContractNames() {
        assertThat(Arrays.stream(RelayDropReason.values()).map(Enum::name)).contains("NOT_IPV4", "TRUNCATED", "BAD_CHECKSUM",
                "NOT_IPIP", "FRAGMENT", "BAD_INNER", "NO_BINDING", "SPOOFED_INNER_SOURCE", "WRONG_CARE_OF", "BAD_MAC",
                "REPLAYED_UPDATE", "CARE_OF_MISMATCH", "UNKNOWN_CLIENT", "STABLE_ADDRESS_NOT_ALLOWED", "MALFORMED_UPDATE",
                "RATE_LIMITED");
    }
}
