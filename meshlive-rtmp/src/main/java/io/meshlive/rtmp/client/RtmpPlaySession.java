package io.meshlive.rtmp.client;

import io.meshlive.rtmp.RtmpMessage;
import io.meshlive.rtmp.RtmpWire;
import io.netty.buffer.ByteBuf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RTMP player as ffmpeg plays: connect, createStream, play, and a buffer length; then the
 * server's media arrives at {@link #onMedia}.
 */
public abstract class RtmpPlaySession extends RtmpClientSession {
    private static final double CREATE_STREAM_TXN = 2;
    private static final double PLAY_TXN = 3;
    /** ffmpeg's play start argument: live * 1000 with live = -2, "live or recorded". */
    private static final double PLAY_START = -2000;
    /** ffmpeg's default client buffer; servers may size queues by it. */
    private static final int BUFFER_MILLIS = 3000;

    protected RtmpPlaySession(RtmpUrl url) {
        super(url);
    }

    @Override
    protected Map<String, Object> connectObject() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("app", url.app());
        o.put("flashVer", "LNX 9,0,124,2");
        o.put("tcUrl", url.tcUrl());
        o.put("fpad", false);
        o.put("capabilities", 15.0);
        o.put("audioCodecs", 4071.0);
        o.put("videoCodecs", 252.0);
        o.put("videoFunction", 1.0);
        return o;
    }

    @Override
    protected void onConnected() {
        command(0, "createStream", CREATE_STREAM_TXN, null);
        flush();
    }

    @Override
    protected void onResult(double txn, List<Object> args) {
        if (txn != CREATE_STREAM_TXN) {
            return;
        }
        int streamId = resultNumber(args);
        if (streamId < 0) {
            close(ctx, "createStream returned no stream id");
            return;
        }
        command(streamId, "play", PLAY_TXN, null, url.stream(), PLAY_START);
        ByteBuf event = ctx.alloc().heapBuffer(10)
                .writeShort(RtmpWire.EVENT_SET_BUFFER_LENGTH).writeInt(streamId).writeInt(BUFFER_MILLIS);
        write(RtmpWire.chunk(ctx.alloc(), CONTROL_CSID, RtmpMessage.USER_CONTROL, 0, 0, event, chunkSize()));
        flush();
    }
}
