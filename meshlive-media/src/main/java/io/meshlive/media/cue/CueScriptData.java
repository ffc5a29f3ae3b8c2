package io.meshlive.media.cue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * A cue as the AMF0 script data RTMP and FLV carry: {@code "onCuePoint", {name, time, type:
 * "event", parameters: {...}}}, the shape Flash-era players and ffmpeg know. mpegts.js hands a page
 * the script data but not the tag's timestamp, so {@code time} (seconds) and {@code parameters.pts}
 * (milliseconds) carry the frame's pts; the payload is the cue's JSON text.
 */
public final class CueScriptData {
    public static final String ON_CUE_POINT = "onCuePoint";
    private static final int NUMBER = 0x00;
    private static final int BOOLEAN = 0x01;
    private static final int STRING = 0x02;
    private static final int OBJECT = 0x03;
    private static final int LONG_STRING = 0x0C;
    private static final int OBJECT_END = 0x09;

    private CueScriptData() {
    }

    /** The onCuePoint message for this cue, in a new buffer the caller owns. */
    public static ByteBuf onCuePoint(Cue cue, ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(160 + cue.payload().length() * 3);
        try {
            string(out, ON_CUE_POINT);
            out.writeByte(OBJECT);
            key(out, "name");
            string(out, cue.kind());
            key(out, "time");
            number(out, cue.ptsMicros() / 1_000_000.0);
            key(out, "type");
            string(out, "event");
            key(out, "parameters");
            out.writeByte(OBJECT);
            key(out, "id");
            string(out, cue.id());
            key(out, "kind");
            string(out, cue.kind());
            key(out, "payload");
            string(out, cue.payload());
            key(out, "pts");
            number(out, cue.ptsMicros() / 1000.0);
            key(out, "ingestTime");
            number(out, cue.ingestWallMillis());
            key(out, "durationMs");
            number(out, cue.durationMillis());
            key(out, "sticky");
            bool(out, cue.sticky());
            key(out, "late");
            bool(out, cue.late());
            end(out);
            end(out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    private static void key(ByteBuf out, String name) {
        out.writeShort(name.length());
        out.writeCharSequence(name, StandardCharsets.US_ASCII);
    }

    /** A string, long-string when its UTF-8 form passes 65535 bytes. */
    private static void string(ByteBuf out, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0xFFFF) {
            out.writeByte(LONG_STRING);
            out.writeInt(utf8.length);
        } else {
            out.writeByte(STRING);
            out.writeShort(utf8.length);
        }
        out.writeBytes(utf8);
    }

    private static void number(ByteBuf out, double value) {
        out.writeByte(NUMBER);
        out.writeDouble(value);
    }

    private static void bool(ByteBuf out, boolean value) {
        out.writeByte(BOOLEAN);
        out.writeByte(value ? 1 : 0);
    }

    private static void end(ByteBuf out) {
        out.writeShort(0);
        out.writeByte(OBJECT_END);
    }
}
