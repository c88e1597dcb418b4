package io.steadfast.handlers.experiment;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.steadfast.handlers.stage.ControllableStage;
import io.steadfast.handlers.stage.CountingStage;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Stage {@value #NAME}: drops each inbound {@link ByteBuf} packet independently with a fixed probability (random
 * loss, like {@code netem loss P}), or every packet while the blackhole is on (a dead path or gateway). Dropped
 * buffers are released; messages that are not {@code ByteBuf}s pass untouched and are not counted.
 *
 * <p>Control commands (see {@link ControllableStage}): {@code on} (blackhole: drop everything), {@code off}
 * (back to probability mode), {@code probability=P} with P in [0, 1], and {@code status}. Every answer reports
 * the state, e.g. {@code loss: blackhole on, probability 0.25}.
 *
 * <p>Counters: {@code passed}, {@code dropped}. Not {@code @Sharable}: one instance per pipeline position, used
 * on its event loop only (so the random generator need not be thread-safe).
 *
 * <pre>{@code
 * // 1% random loss on the inbound path, seeded for a reproducible run
 * LossHandler loss = new LossHandler(0.01, false, new SplittableRandom(42));
 * pipeline.addAfter("udp-recv", "loss", loss);
 * // simulate a gateway failure, then recover:
 * loss.control("on");    // "loss: blackhole on, probability 0.01"
 * loss.control("off");   // "loss: blackhole off, probability 0.01"
 * }</pre>
 */
public final class LossHandler extends ChannelInboundHandlerAdapter implements CountingStage, ControllableStage {
    /** The stage name profiles use. */
    public static final String NAME = "loss";

    private static final String ACCEPTED = "accepted: on, off, probability=P (0 <= P <= 1), status";

    private final RandomGenerator random;
    private double probability;
    private boolean blackhole;
    private long passed;
    private long dropped;

    /**
     * @param probability chance in [0, 1] that a packet is dropped while the blackhole is off
     * @param blackhole whether to start with every packet dropped
     * @param random source of the drop decisions (seed it for reproducible runs)
     * @throws IllegalArgumentException if {@code probability} is not in [0, 1]
     */
    public LossHandler(double probability, boolean blackhole, RandomGenerator random) {
        this.probability = checkProbability(probability);
        this.blackhole = blackhole;
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Random loss with {@code probability} from an unseeded generator, blackhole off. */
    public LossHandler(double probability) {
        this(probability, false, RandomGenerator.getDefault());
    }

    private static double checkProbability(double p) {
        if (!(p >= 0.0 && p <= 1.0)) { // also rejects NaN
            throw new IllegalArgumentException("loss: probability must be between 0 and 1, got " + p);
        }
        return p;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf packet && drop()) {
            dropped++;
            packet.release();
            return;
        }
        if (msg instanceof ByteBuf) {
            passed++;
        }
        ctx.fireChannelRead(msg);
    }

    private boolean drop() {
        if (blackhole) {
            return true;
        }
        // nextDouble() is in [0, 1): p = 0 never drops, p = 1 always does.
        return probability > 0.0 && random.nextDouble() < probability;
    }

    @Override
    public String control(String command) {
        Objects.requireNonNull(command, "command");
        String c = command.strip().toLowerCase(Locale.ROOT);
        switch (c) {
            case "on" -> blackhole = true;
            case "off" -> blackhole = false;
            case "status" -> { }
            default -> {
                int eq = c.indexOf('=');
                if (eq < 0 || !c.substring(0, eq).strip().equals("probability")) {
                    throw new IllegalArgumentException("loss: unknown command '" + command + "'; " + ACCEPTED);
                }
                String value = c.substring(eq + 1).strip();
                double p;
                try {
                    p = Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "loss: '" + value + "' is not a number; " + ACCEPTED, e);
                }
                if (!(p >= 0.0 && p <= 1.0)) {
                    throw new IllegalArgumentException("loss: probability must be between 0 and 1, got "
                            + value + "; " + ACCEPTED);
                }
                probability = p;
            }
        }
        return describe();
    }

    /** The state in the form control() answers with, e.g. {@code loss: blackhole off, probability 0.25}. */
    public String describe() {
        return "loss: blackhole " + (blackhole ? "on" : "off") + ", probability " + probability;
    }

    /** Whether every packet is currently dropped. */
    public boolean blackhole() {
        return blackhole;
    }

    /** The drop probability used while the blackhole is off. */
    public double probability() {
        return probability;
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("passed", passed);
        counters.put("dropped", dropped);
        return counters;
    }
}
