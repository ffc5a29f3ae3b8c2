package io.meshlive.bench.publish;

import io.meshlive.rtmp.client.RtmpPublishSession;

/** The RTMP side of a bench publisher: meshlive-rtmp's publish client, letting the {@link Publisher} send once publishing starts. */
final class RtmpPublishHandler extends RtmpPublishSession {
    /** Large enough that most audio and small frames are one chunk, as OBS and ffmpeg choose. */
    private static final int CHUNK_SIZE = 4096;

    private final Publisher publisher;

    RtmpPublishHandler(Publisher publisher) {
        super(publisher.url().rtmpUrl());
        this.publisher = publisher;
    }

    @Override
    protected int chunkSizeToUse() {
        return CHUNK_SIZE;
    }

    @Override
    protected void onPublishing(int streamId) {
        publisher.start(streamId, CHUNK_SIZE);
    }

    @Override
    protected void ended(String reason) {
        publisher.end(reason);
    }
}
