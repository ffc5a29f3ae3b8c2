package io.meshlive.webrtc;

import io.meshlive.media.Frame;
import io.meshlive.media.MediaFormatException;
import io.meshlive.media.cue.Cue;
import io.meshlive.media.cue.CueJson;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.charset.StandardCharsets;

/**
 * A cue as the JSON text message a WHEP viewer's {@code cues} data channel carries: the form
 * pages get on every protocol ({@link CueJson}), plus {@code "type":"cue"} and {@code rtpTimestamp},
 * which is the RTP timestamp of the cue's video frame on that viewer's
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
        String json = CueJson.of(cue);
        this.head = (json.substring(0, json.length() - 1) + ",\"type\":\"cue\",\"rtpTimestamp\":")
                .getBytes(StandardCharsets.UTF_8);
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
}
