package io.steadfast.pipeline.profile;

import io.steadfast.relay.AddressPrefix;
import io.steadfast.relay.RelayClientConfig;
import java.time.Duration;
import java.util.List;

/**
 * The packet relay part of a profile ({@code steadfast.relay}).
 *
 * @param address   R, the relay's address
 * @param serves    relay: the stable-address prefixes the cloud routes to it
 * @param clients   relay: every client it accepts (id, S, key), from the key file
 * @param self      client: its own id, S and key (null on a relay)
 * @param careOf    client: V until IKE assigns one (0 if none yet)
 * @param lifetime  client: the binding lifetime it asks for
 */
public record RelaySpec(int address, List<AddressPrefix> serves, List<RelayClientConfig> clients, RelayClientConfig self,
                        int careOf, Duration lifetime) {

    /** No relay configured. */
    public static final RelaySpec NONE = new RelaySpec(0, List.of(), List.of(), null, 0, Duration.ZERO);

    public boolean configured() {
        return address != 0;
    }
}
