package io.meshlive.bench.publish;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A picture size such as {@code 1280x720}; even, as 4:2:0 video needs. */
public record VideoSize(int width, int height) {
    public VideoSize {
        if (width < 16 || height < 16 || width > 8192 || height > 8192 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("picture size " + width + "x" + height + " is not even and within 16..8192");
        }
    }

    public static VideoSize parse(String text) {
        String[] parts = text.toLowerCase().split("x");
        try {
            if (parts.length == 2) {
                return new VideoSize(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not a size such as 1280x720");
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }

    public static final class Converter implements ITypeConverter<VideoSize> {
        @Override
        public VideoSize convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
