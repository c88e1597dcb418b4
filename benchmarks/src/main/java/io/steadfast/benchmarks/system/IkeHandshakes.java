package io.steadfast.benchmarks.system;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The IKE_SA_INIT + IKE_AUTH handshakes in a capture, from tshark's field lines
 * ({@link #TSHARK_FIELDS}: time, source address, SPIi, exchange type, flags, message ID; tab-separated): per
 * IKE SA (SPIi), the first IKE_SA_INIT request, the last IKE_SA_INIT response, the first IKE_AUTH request and
 * the last IKE_AUTH response (its last fragment, if fragmented). Only handshakes with all four are returned, in
 * the order they started; the initiator is the source of the first IKE_SA_INIT request.
 *
 * <pre>{@code
 * List<IkeHandshakes.Handshake> all = IkeHandshakes.parse(tsharkOutput);
 * double ms = all.get(0).totalMillis();
 * }</pre>
 */
final class IkeHandshakes {
    /** The tshark {@code -T fields} arguments whose output {@link #parse} reads. */
    static final List<String> TSHARK_FIELDS = List.of("-T", "fields", "-E", "separator=/t", "-E", "occurrence=f",
            "-e", "frame.time_epoch", "-e", "ip.src", "-e", "isakmp.ispi", "-e", "isakmp.exchangetype",
            "-e", "isakmp.flags", "-e", "isakmp.messageid");

    private static final int IKE_SA_INIT = 34;
    private static final int IKE_AUTH = 35;
    private static final int FLAG_RESPONSE = 0x20;

    private IkeHandshakes() {}

    /**
     * One handshake's four moments on the wire, in seconds since the epoch.
     *
     * @param initiator the address its first IKE_SA_INIT request came from
     */
    record Handshake(String initiator, String spi, double initRequest, double initResponse, double authRequest,
            double authResponse) {
        /** First IKE_SA_INIT request to the IKE_AUTH response. */
        double totalMillis() {
            return (authResponse - initRequest) * 1e3;
        }

        /** The responder's IKE_SA_INIT time (request to response). */
        double initMillis() {
            return (initResponse - initRequest) * 1e3;
        }

        /** The initiator's turnaround: IKE_SA_INIT response to IKE_AUTH request. */
        double turnaroundMillis() {
            return (authRequest - initResponse) * 1e3;
        }

        /** The responder's IKE_AUTH time (request to response). */
        double authMillis() {
            return (authResponse - authRequest) * 1e3;
        }
    }

    /** The complete handshakes in tshark's output, in the order they started. */
    static List<Handshake> parse(String tsharkFields) {
        Map<String, Moments> bySpi = new LinkedHashMap<>();
        for (String line : tsharkFields.lines().toList()) {
            String[] f = line.split("\t", -1);
            if (f.length < 6 || f[2].isEmpty() || f[3].isEmpty() || f[4].isEmpty() || f[5].isEmpty()) continue;
            double time = Double.parseDouble(f[0]);
            int exchange = Integer.parseInt(f[3]);
            boolean response = (Integer.decode(f[4]) & FLAG_RESPONSE) != 0;
            long messageId = Long.decode(f[5]);
            Moments m = bySpi.computeIfAbsent(f[2], spi -> new Moments());
            if (exchange == IKE_SA_INIT && messageId == 0) {
                if (!response && Double.isNaN(m.initRequest)) {
                    m.initRequest = time;
                    m.initiator = f[1];
                } else if (response) {
                    m.initResponse = time;
                }
            } else if (exchange == IKE_AUTH && messageId == 1) {
                if (!response && Double.isNaN(m.authRequest)) m.authRequest = time;
                else if (response) m.authResponse = time;
            }
        }
        List<Handshake> handshakes = new ArrayList<>();
        bySpi.forEach((spi, m) -> {
            if (m.complete()) {
                handshakes.add(new Handshake(m.initiator, spi, m.initRequest, m.initResponse, m.authRequest, m.authResponse));
            }
        });
        handshakes.sort(Comparator.comparingDouble(Handshake::initRequest));
        return handshakes;
    }

    /** What one SPI has shown so far. */
    private static final class Moments {
        String initiator;
        double initRequest = Double.NaN;
        double initResponse = Double.NaN;
        double authRequest = Double.NaN;
        double authResponse = Double.NaN;

        boolean complete() {
            return initiator != null && initResponse > initRequest && authRequest >= initResponse
                    && authResponse > authRequest;
        }
    }
}
