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
 * @param pipelines     the pipelines, in profile order
 */
public record Profile(Path file, Kind kind, String name, Transport transport, TunSpec tun, Path controlSocket,
                      List<PipelineSpec> pipelines) {}
