package io.steadfast.pipeline.stages;

import io.netty.channel.Channel;

/** What a stage may ask of the running profile when its handler is made. */
public interface StageEnvironment {

    /** The TUN channel of this profile (stages such as {@code tun-write} send to it). */
    Channel tun();

    /** The name of the pipeline the handler is placed in. */
    String pipeline();
}
