/** The UDP 4500 stages: {@code udp-recv} sorts datagrams (RFC 3948), {@code udp-send} writes them and keeps NAT bindings open. */
package io.steadfast.handlers.udp;
