/** IPv4 and ICMP header helpers that work in place on Netty buffers; shared by the stages. */
package io.steadfast.handlers.ip;
