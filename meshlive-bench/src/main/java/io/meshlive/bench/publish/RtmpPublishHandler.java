package io.meshlive.bench.publish;

import io.meshlive.bench.wire.RtmpClientSession;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The RTMP side of a publisher, in the order OBS and ffmpeg use: connect, releaseStream,
 * FCPublish, createStream, publish(name, "live"); on Publish.Start it raises the chunk size and
 * lets the {@link Publisher} send.
 */
final class RtmpPublishHandler extends RtmpClientSession {
    /** Large enough that most audio and small frames are one chunk, as OBS and ffmpeg choose. */
    private static final int CHUNK_SIZE = 4096;
    private static final double CREATE_STREAM_TXN = 4;
    private static final double PUBLISH_TXN = 5;

    private final Publisher publisher;
    private int streamId = -1;

    RtmpPublishHandler(Publisher publisher) {
        super(publisher.url());
        this.publisher = publisher;
    }

    @Override
    protected Map<String, Object> connectObject() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("app", url.app());
        o.put("type", "nonprivate");
        o.put("flashVer", "FMLE/3.0 (compatible; meshlive-bench)");
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
        if (code.equals("NetStream.Publish.Start")) {
            setChunkSize(CHUNK_SIZE);
            flush();
            publisher.start(streamId, CHUNK_SIZE);
        }
    }

    @Override
    public void onMessage(int typeId, long timestamp, int length, int first, int second) {
        // A publisher is sent no media.
    }

    @Override
    protected void ended(String reason) {
        publisher.end(reason);
    }
}
