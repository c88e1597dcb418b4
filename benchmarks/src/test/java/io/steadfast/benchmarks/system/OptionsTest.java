package io.steadfast.benchmarks.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Row selection ({@code --paths}) and the checks on the other options. */
class OptionsTest {

    private static SystemBenchmark parse(String... args) {
        SystemBenchmark b = new SystemBenchmark();
        new CommandLine(b).parseArgs(args);
        return b;
    }

    private static List<String> keys(List<PathCatalog.Spec> specs) {
        return specs.stream().map(PathCatalog.Spec::key).toList();
    }

    @Test
    void byDefaultEveryRowRuns() {
        assertThat(keys(parse().checkedOptions()))
                .containsExactly("a", "b", "b-plain", "b-uring", "b-chacha", "c", "sw", "sw-relay", "wg", "ovpn");
        assertThat(PathCatalog.DEFAULT_KEYS).isEqualTo(PathCatalog.ALL.stream().map(PathCatalog.Spec::key).collect(Collectors.joining(",")));
    }

    @Test
    void pathsAreShownInTableOrderWhateverTheOrderAsked() {
        assertThat(keys(parse("--paths", "ovpn, c,a").checkedOptions())).containsExactly("a", "c", "ovpn");
        assertThat(keys(parse("--paths", "sw-relay,c,sw").checkedOptions())).containsExactly("c", "sw", "sw-relay");
        assertThat(keys(parse("--paths=b").checkedOptions())).containsExactly("b");
    }

    @Test
    void unknownRepeatedOrEmptyPathsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> parse("--paths", "a,ipsec").checkedOptions())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown path \"ipsec\"").hasMessageContaining("wg");
        assertThatThrownBy(() -> parse("--paths", "a,b,a").checkedOptions()).hasMessageContaining("\"a\" twice");
        assertThatThrownBy(() -> parse("--paths", "a,,b").checkedOptions()).hasMessageContaining("empty entry");
        assertThatThrownBy(() -> parse("--paths", "").checkedOptions()).hasMessageContaining("empty entry");
    }

    @Test
    void rowsRunOneAfterAnotherUnlessInterleaved() {
        assertThat(parse().interleave).isFalse();
        assertThat(parse("--interleave").interleave).isTrue();
    }

    @Test
    void numbersOutOfRangeAreRefused() {
        assertThatThrownBy(() -> parse("--seconds", "0").checkedOptions()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse("--repeat", "0").checkedOptions()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse("--streams", "-1").checkedOptions()).isInstanceOf(IllegalArgumentException.class);
        assertThat(parse("--streams", "0", "--warmup-round-trips", "0").checkedOptions()).isNotEmpty();
    }

    @Test
    void eachRowNamesThePackagesOfItsPrograms() {
        assertThat(PathCatalog.get("wg").programs()).containsExactly("wireguard-go", "wg");
        assertThat(PathCatalog.get("ovpn").tools()).contains("openvpn (openvpn)");
        assertThat(PathCatalog.get("sw-relay").programs()).isEqualTo(PathCatalog.get("sw").programs()).contains("swanctl");
        assertThat(PathCatalog.get("a").programs()).isEmpty();
        assertThat(SystemBenchmark.missingTools(List.of(PathCatalog.get("a"))))
                .allSatisfy(t -> assertThat(t).matches("\\S+ \\(\\S+\\)"));
    }
}
