package io.steadfast.handlers.failover;

/**
 * One switch of gateway, for {@code steadfast status}.
 *
 * @param from           the gateway left
 * @param to             the gateway chosen
 * @param reason         why, e.g. "no inbound for 301 ms"
 * @param decidedNanos   when the controller decided (monotonic clock)
 * @param switchNanos    C: from the decision to the first valid inbound packet through {@code to}; -1 until then
 */
public record Failover(String from, String to, String reason, long decidedNanos, long switchNanos) {

    Failover completed(long switchNanos) {
        return new Failover(from, to, reason, decidedNanos, switchNanos);
    }

    @Override
    public String toString() {
        return from + " -> " + to + ": " + reason + (switchNanos < 0 ? ", no inbound through " + to + " yet"
                : String.format(java.util.Locale.ROOT, ", switch %.1f ms", switchNanos / 1e6));
    }
}
