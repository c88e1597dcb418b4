package io.steadfast.pipeline.runtime;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.steadfast.handlers.ike.IkeResponderHandler;
import io.steadfast.pipeline.profile.Transport;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway's IKE socket on UDP 500 beside its ESP socket (RFC 7296 2.23: initiators start on 500 and move to
 * 4500), feeding the {@code ike-responder} stage through {@link IkeResponderHandler#ikePortHandler()} on the same
 * event loop. If port 500 cannot be bound (taken, or the ESP socket is on it) the gateway goes on without it,
 * after one warning: clients must then start on 4500.
 */
final class IkePort {
    /** The port initiators start on. */
    static final int PORT = 500;
    private static final Logger LOG = LoggerFactory.getLogger(IkePort.class);

    private IkePort() {}

    /** Opens and binds the socket on {@code esp}'s address, port 500; null (after a warning) if it cannot. */
    static DatagramChannel open(EventLoopGroup group, Transport transport, InetSocketAddress esp, IkeResponderHandler responder)
            throws InterruptedException {
        if (esp.getPort() == PORT) return null;
        InetSocketAddress local = new InetSocketAddress(esp.getAddress(), PORT);
        DatagramChannel channel = Transports.datagramChannel(transport);
        channel.pipeline().addLast("ike-responder-500", responder.ikePortHandler());
        group.register(channel).sync();
        try {
            channel.bind(local).sync();
        } catch (Exception e) {
            channel.close().sync();
            LOG.warn("ike-responder: cannot listen for IKE on UDP {}:{} ({}); clients must start on port {}",
                    local.getAddress().getHostAddress(), PORT, e.getMessage(), esp.getPort());
            return null;
        }
        LOG.info("ike-responder: IKE also on udp {}", channel.localAddress());
        return channel;
    }
}
