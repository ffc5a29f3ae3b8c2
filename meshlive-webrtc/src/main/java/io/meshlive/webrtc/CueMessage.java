package io.meshlive.webrtc;

import io.meshlive.media.Frame;
import io.meshlive.media.MediaFormatException;
import io.meshlive.media.cue.Cue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.charset.StandardCharsets;

/**
 * A cue as the JSON text message a WHEP viewer's {@code cues} data channel carries:
 * <pre>{"type":"cue","id":"…","kind":"product","payload":{…},"pts":…,"ingestWallMillis":…,
 * "durationMs":…,"sticky":false,"late":false,"rtpTimestamp":…}</pre>
 * where {@code rtpTimestamp} is the RTP timestamp of the cue's video frame on that viewer's
 * timeline, what {@code requestVideoFrameCallback} reports as {@code metadata.rtpTimestamp}.
 *
 * <p>All but the timestamp is the same for every viewer, so it is rendered once per cue frame on
 * each event loop (the viewers of a stream on one loop get the same frame one after another), and
 * a viewer only writes the bytes and its number.
 */
final class CueMessage {
    private static final FastThreadLocal<CueMessage> LAST = new FastThreadLocal<>();
    private static final byte[] TAIL = {'}'};

    private final Frame frame;
    final Cue cue;
    private final byte[] head;

    private CueMessage(Frame frame, Cue cue) {
        this.frame = frame;
        this.cue = cue;
        StringBuilder json = new StringBuilder(cue.payload().length() + 200);
        json.append("{\"type\":\"cue\",\"id\":");
        quote(json, cue.id());
        json.append(",\"kind\":");
        quote(json, cue.kind());
        json.append(",\"payload\":").append(cue.payload().isBlank() ? "null" : cue.payload())
                .append(",\"pts\":").append(cue.ptsMicros())
                .append(",\"ingestWallMillis\":").append(cue.ingestWallMillis())
                .append(",\"durationMs\":").append(cue.durationMillis())
                .append(",\"sticky\":").append(cue.sticky())
                .append(",\"late\":").append(cue.late())
                .append(",\"rtpTimestamp\":");
        this.head = json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The message of a cue frame, rendered once per frame per loop.
     *
     * @throws MediaFormatException when the frame's payload is not a cue
     */
    static CueMessage of(Frame frame) {
        CueMessage last = LAST.get();
        if (last != null && last.frame == frame) {
            return last;
        }
        CueMessage m = new CueMessage(frame, Cue.read(frame.payload()));
        LAST.set(m);
        return m;
    }

    /** The message for one viewer, in a new buffer. */
    ByteBuf write(ByteBufAllocator alloc, long rtpTimestamp) {
        ByteBuf out = alloc.buffer(head.length + 11);
        out.writeBytes(head);
        out.writeCharSequence(Long.toString(rtpTimestamp), StandardCharsets.US_ASCII);
        out.writeBytes(TAIL);
        return out;
    }

    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
