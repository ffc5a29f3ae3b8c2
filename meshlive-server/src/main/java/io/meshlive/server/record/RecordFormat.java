package io.meshlive.server.record;

import java.util.Locale;

/** The container a recording is written in. */
public enum RecordFormat {
    /** FLV: append-only by nature, every tag complete on its own. */
    FLV("flv"),
    /** Fragmented MP4 (CMAF): an init segment once, then a moof+mdat per fragment; no moov at the end to lose. */
    MP4("mp4");

    private final String extension;

    RecordFormat(String extension) {
        this.extension = extension;
    }

    public String extension() {
        return extension;
    }

    /** "flv" or "mp4", any case; anything else names the allowed values. */
    public static RecordFormat parse(String name) {
        for (RecordFormat f : values()) {
            if (f.extension.equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown recording format '" + name + "'; allowed: flv, mp4");
    }

    @Override
    public String toString() {
        return extension.toLowerCase(Locale.ROOT);
    }
}
