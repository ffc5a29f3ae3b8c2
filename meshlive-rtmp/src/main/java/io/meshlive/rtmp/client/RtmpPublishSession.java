package io.meshlive.rtmp.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RTMP publisher in the order OBS and ffmpeg use: connect, releaseStream, FCPublish,
 * createStream, publish(name, "live"); on {@code NetStream.Publish.Start} it raises the chunk
 * size to {@link #chunkSizeToUse} and calls {@link #onPublishing}, after which media may be sent
 * on the message stream the server gave.
 */
public abstract class RtmpPublishSession extends RtmpClientSession {
    private static final double CREATE_STREAM_TXN = 4;
    private static final double PUBLISH_TXN = 5;

    private int streamId = -1;
    private boolean publishing;

    protected RtmpPublishSession(RtmpUrl url) {
        super(url);
    }

    /** The chunk size announced once publishing starts. */
    protected abstract int chunkSizeToUse();

    /** The server accepted the publish: media goes on message stream {@code streamId}, chunked at {@link #chunkSize()}. */
    protected abstract void onPublishing(int streamId);

    @Override
    protected Map<String, Object> connectObject() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("app", url.app());
        o.put("type", "nonprivate");
        o.put("flashVer", "FMLE/3.0 (compatible; meshlive)");
        o.put("tcUrl", url.tcUrl());
        return o;
    }

    @Override
    protected void onConnected() {
        command(0, "releaseStream", 2.0, null, url.stream());
        command(0, "FCPublish", 3.0, null, url.stream());
        command(0, "createStream", CREATE_STREAM_TXN, null);
        flush();
    }

    @Override
    protected void onResult(double txn, List<Object> args) {
        if (txn != CREATE_STREAM_TXN) {
            return;
        }
        streamId = resultNumber(args);
        if (streamId < 0) {
            close(ctx, "createStream returned no stream id");
            return;
        }
        command(streamId, "publish", PUBLISH_TXN, null, url.stream(), "live");
        flush();
    }

    @Override
    protected void onStatus(String code) {
        if (code.equals("NetStream.Publish.Start") && streamId >= 0 && !publishing) {
            publishing = true;
            setChunkSize(chunkSizeToUse());
            flush();
            onPublishing(streamId);
        }
    }
}
