package io.meshlive.cluster.staticrelay;

import io.meshlive.core.ChannelViewer;
import io.meshlive.rtmp.RtmpMediaFormat;
import io.meshlive.rtmp.client.RtmpPublishSession;
import io.meshlive.rtmp.client.RtmpUrl;

/**
 * A static push over RTMP: publishes to the URL, then reads the local stream like any RTMP viewer
 * does, writing the stream's shared RTMP encoding of each frame (made once per stream, whoever
 * reads it), with a viewer's latency budget: a slow remote skips to the next keyframe.
 */
final class RtmpPushSession extends RtmpPublishSession {
    private final StaticPush relay;
    private final int attempt;
    private ChannelViewer viewer;

    RtmpPushSession(RtmpUrl url, StaticPush relay, int attempt) {
        super(url);
        this.relay = relay;
        this.attempt = attempt;
    }

    /** Our media chunk size, so the shared encoding is valid on this connection too. */
    @Override
    protected int chunkSizeToUse() {
        return RtmpMediaFormat.CHUNK_SIZE;
    }

    @Override
    protected void onPublishing(int streamId) {
        if (streamId != RtmpMediaFormat.MEDIA_STREAM_ID) {
            // Every server we know (nginx-rtmp, SRS, the platforms) answers 1; the shared encoding is for 1.
            close(ctx, "the server gave message stream " + streamId + "; meshlive pushes on stream "
                    + RtmpMediaFormat.MEDIA_STREAM_ID + " only");
            return;
        }
        viewer = new ChannelViewer("rtmp-push", ctx.channel(), relay.context.hub(), relay.spec.key(), RtmpMediaFormat.INSTANCE) {
            private long counted;

            @Override
            public void flush() {
                long written = bytesOut();
                relay.addBytes(written - counted);
                counted = written;
                super.flush();
            }
        };
        viewer.start();
        relay.running(attempt);
    }

    @Override
    protected void ended(String reason) {
        relay.ended(attempt, reason);
    }
}
