/** The basic stages: {@code tun-read}, {@code tun-write}, {@code icmp-echo}, {@code pass} and {@code discard}. */
package io.steadfast.handlers.basic;
