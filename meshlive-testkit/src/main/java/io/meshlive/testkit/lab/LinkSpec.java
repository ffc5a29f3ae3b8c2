package io.meshlive.testkit.lab;

import java.util.Locale;

/**
 * What an emulated link does to traffic, in each direction: one-way {@code delayMillis}, plus a
 * uniform jitter of up to ±{@code jitterMillis}; {@code lossPercent} of packets lost; a rate cap
 * ({@code rateBitsPerSecond}, 0 = none) with a bottleneck queue of {@code bufferBytes}.
 *
 * <p>Written as {@code delay=40ms,jitter=5ms,loss=1%,rate=20mbit,buffer=256kb} (any subset, any
 * order), which is what {@link #parse} reads and {@link #toString} prints.
 */
public record LinkSpec(double delayMillis, double jitterMillis, double lossPercent, long rateBitsPerSecond, int bufferBytes) {
    public static final int DEFAULT_BUFFER = 256 * 1024;
    public static final LinkSpec NONE = new LinkSpec(0, 0, 0, 0, DEFAULT_BUFFER);

    public LinkSpec {
        if (delayMillis < 0 || jitterMillis < 0) {
            throw new IllegalArgumentException("delay and jitter must be 0 or more");
        }
        if (lossPercent < 0 || lossPercent > 100) {
            throw new IllegalArgumentException("loss must be 0-100%, got " + lossPercent);
        }
        if (rateBitsPerSecond < 0) {
            throw new IllegalArgumentException("rate must be 0 (none) or more");
        }
        if (bufferBytes < 1500) {
            throw new IllegalArgumentException("buffer must hold a packet (1500 bytes or more), got " + bufferBytes);
        }
    }

    public static LinkSpec delay(double millis) {
        return new LinkSpec(millis, 0, 0, 0, DEFAULT_BUFFER);
    }

    public LinkSpec withJitter(double millis) {
        return new LinkSpec(delayMillis, millis, lossPercent, rateBitsPerSecond, bufferBytes);
    }

    public LinkSpec withLoss(double percent) {
        return new LinkSpec(delayMillis, jitterMillis, percent, rateBitsPerSecond, bufferBytes);
    }

    public LinkSpec withRate(long bitsPerSecond) {
        return new LinkSpec(delayMillis, jitterMillis, lossPercent, bitsPerSecond, bufferBytes);
    }

    public LinkSpec withBuffer(int bytes) {
        return new LinkSpec(delayMillis, jitterMillis, lossPercent, rateBitsPerSecond, bytes);
    }

    /** Reads {@code delay=40ms,jitter=5ms,loss=1%,rate=20mbit,buffer=256kb}; a bad part throws, naming it. */
    public static LinkSpec parse(String text) {
        LinkSpec spec = NONE;
        if (text == null || text.isBlank() || text.equals("none")) {
            return spec;
        }
        for (String part : text.split("[,\\s]+")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("link '" + part + "': expected name=value (delay, jitter, loss, rate, buffer)");
            }
            String name = part.substring(0, eq).toLowerCase(Locale.ROOT);
            String value = part.substring(eq + 1).toLowerCase(Locale.ROOT);
            try {
                spec = switch (name) {
                    case "delay" -> new LinkSpec(millis(value), spec.jitterMillis, spec.lossPercent, spec.rateBitsPerSecond, spec.bufferBytes);
                    case "jitter" -> spec.withJitter(millis(value));
                    case "loss" -> spec.withLoss(Double.parseDouble(value.replace("%", "")));
                    case "rate" -> spec.withRate(scaled(value, "bit", 1000));
                    case "buffer" -> spec.withBuffer(Math.toIntExact(scaled(value, "b", 1024)));
                    default -> throw new IllegalArgumentException("unknown setting; allowed delay, jitter, loss, rate, buffer");
                };
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("link '" + part + "': not a number");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("link '" + part + "': " + e.getMessage());
            }
        }
        return spec;
    }

    private static double millis(String v) {
        if (v.endsWith("ms")) {
            return Double.parseDouble(v.substring(0, v.length() - 2));
        }
        if (v.endsWith("s")) {
            return Double.parseDouble(v.substring(0, v.length() - 1)) * 1000;
        }
        return Double.parseDouble(v);
    }

    /** {@code 20mbit}, {@code 500kbit}, {@code 1gbit}, {@code 256kb}, {@code 1mb}, or a plain number. */
    private static long scaled(String v, String unit, long base) {
        String s = v.endsWith(unit) ? v.substring(0, v.length() - unit.length()) : v;
        long factor = 1;
        if (s.endsWith("k")) {
            factor = base;
        } else if (s.endsWith("m")) {
            factor = base * base;
        } else if (s.endsWith("g")) {
            factor = base * base * base;
        }
        if (factor != 1) {
            s = s.substring(0, s.length() - 1);
        }
        return Math.round(Double.parseDouble(s) * factor);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "delay=%sms,jitter=%sms,loss=%s%%,rate=%s,buffer=%d",
                trim(delayMillis), trim(jitterMillis), trim(lossPercent),
                rateBitsPerSecond == 0 ? "0" : rateBitsPerSecond + "bit", bufferBytes);
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
