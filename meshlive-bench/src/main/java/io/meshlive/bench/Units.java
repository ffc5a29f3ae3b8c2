package io.meshlive.bench;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The command line's quantities: durations ({@code 60}, {@code 1s}, {@code 500ms}, {@code 2m}), rates, bit rates, sizes. */
public final class Units {
    private static final Pattern NUMBER_UNIT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z/]*)");

    private Units() {
    }

    public static Duration duration(String text) {
        Matcher m = match(text, "a duration such as 60, 1s, 500ms or 2m");
        double value = Double.parseDouble(m.group(1));
        double millis = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "", "s" -> value * 1000;
            case "ms" -> value;
            case "m", "min" -> value * 60_000;
            case "h" -> value * 3_600_000;
            default -> throw new TypeConversionException("'" + text + "' is not a duration such as 60, 1s, 500ms or 2m");
        };
        return Duration.ofNanos(Math.round(millis * 1_000_000));
    }

    /** Per second: {@code 200/s}, {@code 200}, or {@code 12/m}. */
    public static double perSecond(String text) {
        Matcher m = match(text, "a rate such as 200/s");
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "", "/s" -> value;
            case "/m" -> value / 60;
            default -> throw new TypeConversionException("'" + text + "' is not a rate such as 200/s");
        };
    }

    /** Bits per second: {@code 2000k}, {@code 2M}, {@code 2000000}. */
    public static long bitsPerSecond(String text) {
        Matcher m = match(text, "a bit rate such as 2000k or 2M");
        double value = Double.parseDouble(m.group(1));
        double scale = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "", "bps" -> 1;
            case "k", "kbps" -> 1e3;
            case "m", "mbps" -> 1e6;
            default -> throw new TypeConversionException("'" + text + "' is not a bit rate such as 2000k or 2M");
        };
        return Math.round(value * scale);
    }

    private static Matcher match(String text, String expected) {
        Matcher m = NUMBER_UNIT.matcher(text.trim());
        if (!m.matches()) {
            throw new TypeConversionException("'" + text + "' is not " + expected);
        }
        return m;
    }

    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return duration(value);
        }
    }

    public static final class RateConverter implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return perSecond(value);
        }
    }

    public static final class BitrateConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return bitsPerSecond(value);
        }
    }

    public static final class UrlConverter implements ITypeConverter<StreamUrl> {
        @Override
        public StreamUrl convert(String value) {
            try {
                return StreamUrl.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code host:port}; the host is taken as written (a literal address, or a name resolved when used). */
    public static final class AddressConverter implements ITypeConverter<java.net.InetSocketAddress> {
        @Override
        public java.net.InetSocketAddress convert(String value) {
            int colon = value.lastIndexOf(':');
            try {
                int port = Integer.parseInt(value.substring(colon + 1));
                if (colon <= 0 || port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return new java.net.InetSocketAddress(value.substring(0, colon), port);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not host:port");
            }
        }
    }
}
