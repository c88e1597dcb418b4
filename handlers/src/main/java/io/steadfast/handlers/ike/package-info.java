/** The {@code ike} stage: IKEv2 initiators on the UDP 4500 socket, a thin adapter over {@code io.steadfast.ike.sa}. */
package io.steadfast.handlers.ike;
