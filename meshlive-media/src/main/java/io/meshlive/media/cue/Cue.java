package io.meshlive.media.cue;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * A timed cue (a product card, a price, a vote, an SCTE-35 splice) on a stream's timeline,
 * protocol-neutral: every egress writes it in its own native form just before the video frame it
 * belongs to. In the hub a cue is a {@link Frame} of codec {@link Codec#CUE} whose payload is
 * {@link #write this binary form}, so it travels through fan-out, relays and recordings like media.
 *
 * @param id               unique per stream (the API's answer names it)
 * @param kind             e.g. {@code product}, {@code price}, {@code vote}, {@code scte35}
 * @param payload          JSON text, at most {@link #MAX_PAYLOAD_BYTES} UTF-8 bytes
 * @param ptsMicros        the pts of the video frame it is attached to, stream timeline
 * @param ingestWallMillis that frame's wall-clock ingest time at the origin
 * @param durationMillis   how long it applies, or 0 for unspecified
 * @param sticky           a late joiner gets the current sticky cue at once
 * @param late             its time had already been sent when it was inserted, so it went out at once
 */
public record Cue(String id, String kind, String payload, long ptsMicros, long ingestWallMillis,
                  long durationMillis, boolean sticky, boolean late) {
    public static final int MAX_PAYLOAD_BYTES = 4096;
    /** A sticky cue of this kind clears the current sticky cue (players hide its card). */
    public static final String CLEAR_KIND = "clear";
    private static final int VERSION = 1;
    private static final int STICKY = 1;
    private static final int LATE = 2;

    public Cue {
        if (id == null || kind == null || payload == null) {
            throw new IllegalArgumentException("a cue needs an id, a kind and a payload");
        }
    }

    /** This cue as a hub frame at its pts; the frame owns a new buffer. */
    public Frame toFrame(ByteBufAllocator alloc, long arrivalNanos) {
        ByteBuf buf = alloc.buffer(64 + payload.length() * 3);
        try {
            write(buf);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
        return Frame.media(Codec.CUE, ptsMicros, ptsMicros, false, buf, arrivalNanos);
    }

    /**
     * The binary form: version (u8), flags (u8: 1 sticky, 2 late), pts µs (i64), ingest wall ms
     * (i64), duration ms (u32), then id, kind and payload, each a u16 length and UTF-8 bytes.
     */
    public void write(ByteBuf out) {
        out.writeByte(VERSION);
        out.writeByte((sticky ? STICKY : 0) | (late ? LATE : 0));
        out.writeLong(ptsMicros);
        out.writeLong(ingestWallMillis);
        out.writeInt((int) Math.min(durationMillis, 0xFFFF_FFFFL));
        writeString(out, id);
        writeString(out, kind);
        writeString(out, payload);
    }

    private static void writeString(ByteBuf out, String s) {
        int at = out.writerIndex();
        out.writeShort(0);
        int n = out.writeCharSequence(s, StandardCharsets.UTF_8);
        if (n > 0xFFFF) {
            throw new IllegalArgumentException("cue field longer than 65535 bytes");
        }
        out.setShort(at, n);
    }

    /** Reads a cue frame's payload; the buffer's reader index is not moved. */
    public static Cue read(ByteBuf in) {
        int i = in.readerIndex();
        try {
            if (in.readableBytes() < 28 || in.getUnsignedByte(i) != VERSION) {
                throw new MediaFormatException("not a version-" + VERSION + " cue");
            }
            int flags = in.getUnsignedByte(i + 1);
            long pts = in.getLong(i + 2);
            long wall = in.getLong(i + 10);
            long duration = in.getUnsignedInt(i + 18);
            int[] at = {i + 22};
            String id = readString(in, at);
            String kind = readString(in, at);
            String payload = readString(in, at);
            return new Cue(id, kind, payload, pts, wall, duration, (flags & STICKY) != 0, (flags & LATE) != 0);
        } catch (IndexOutOfBoundsException e) {
            throw new MediaFormatException("truncated cue");
        }
    }

    private static String readString(ByteBuf in, int[] at) {
        int n = in.getUnsignedShort(at[0]);
        if (at[0] + 2 + n > in.writerIndex()) {
            throw new MediaFormatException("cue field runs past the end");
        }
        String s = in.toString(at[0] + 2, n, StandardCharsets.UTF_8);
        at[0] += 2 + n;
        return s;
    }

    /** Whether a cue frame's payload has the sticky flag, without reading the rest. */
    public static boolean stickyFlag(ByteBuf in) {
        return in.readableBytes() >= 2 && (in.getUnsignedByte(in.readerIndex() + 1) & STICKY) != 0;
    }

    /** The same cue, flagged late (inserted for a time already sent). */
    public Cue asLate() {
        return new Cue(id, kind, payload, ptsMicros, ingestWallMillis, durationMillis, sticky, true);
    }
}
