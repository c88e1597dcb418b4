package io.steadfast.pipeline.profile;

import java.nio.file.Path;
import java.util.List;

/**
 * A checked profile: what {@code steadfast client|gateway|relay -c FILE} runs.
 *
 * @param file          where it was read from
 * @param kind          client, gateway or relay
 * @param name          names the instance in logs and its control socket
 * @param transport     the event-loop transport asked for
 * @param tun           the TUN device
 * @param controlSocket the Unix socket for {@code steadfast status}
 * @param udp           the UDP socket, opened when a stage needs it
 * @param esp           manually keyed SAs
 * @param relay         the packet relay (client or server side), or {@link RelaySpec#NONE}
 * @param failover      failure detection and failover between gateways, or {@link FailoverSpec#NONE}
 * @param ike           the gateways to negotiate SAs with (IKEv2), or {@link IkeSpec#NONE}
 * @param pipelines     the pipelines, in profile order
 */
public record Profile(Path file, Kind kind, String name, Transport transport, TunSpec tun, Path controlSocket,
                      UdpSpec udp, EspSpec esp, RelaySpec relay, FailoverSpec failover, IkeSpec ike,
                      List<PipelineSpec> pipelines) {

    /** True if a pipeline reads from the UDP socket or one of its stages needs it. */
    public boolean needsUdp() {
        return pipelines.stream().anyMatch(p -> p.source().equals("udp")
                || p.stages().stream().anyMatch(s -> s.needs().contains(io.steadfast.pipeline.stages.Need.UDP_SOCKET)));
    }
}
