package io.steadfast.pipeline.profile;

import java.nio.file.Path;
import java.util.List;

/**
 * The manually keyed ESP of a profile.
 *
 * @param keyFile      where the keys came from (null if no SAs)
 * @param replayWindow anti-replay window of inbound SAs, in packets
 * @param sas          the SAs, in profile order
 */
public record EspSpec(Path keyFile, int replayWindow, List<SaSpec> sas) {

    public List<SaSpec> outbound() {
        return sas.stream().filter(SaSpec::outbound).toList();
    }

    public List<SaSpec> inbound() {
        return sas.stream().filter(s -> !s.outbound()).toList();
    }
}
