package io.meshlive.bench.publish;

import io.meshlive.bench.StreamUrl;
import io.meshlive.bench.publish.PublisherResult.State;
import io.meshlive.bench.wire.FlvMedia;
import io.meshlive.rtmp.RtmpWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

/**
 * One published stream: its source, paced in real time by timestamps (like {@code ffmpeg -re}),
 * and what it has sent. Confined to its event loop.
 */
final class Publisher {
    private static final int AUDIO_CSID = 4;
    private static final int DATA_CSID = 5;
    private static final int VIDEO_CSID = 6;

    static final String FILE_ENDED = "the file ended";
    static final String STOPPED = "stopped";

    private final StreamUrl url;
    private final MediaSource source;
    private State state = State.CONNECTING;
    private String reason;
    private Channel channel;
    private int streamId;
    private int chunkSize;
    private long startNanos;
    private long firstTimestamp = -1;
    private MediaTag pending;
    private long videoFrames;
    private long audioFrames;
    private long bytes;

    Publisher(StreamUrl url, MediaSource source) {
        this.url = url;
        this.source = source;
    }

    StreamUrl url() {
        return url;
    }

    void connecting(Channel channel) {
        this.channel = channel;
    }

    /** The server said Publish.Start; tags go out from the next tick, on message stream {@code streamId}. */
    void start(int streamId, int chunkSize) {
        this.streamId = streamId;
        this.chunkSize = chunkSize;
        state = State.PUBLISHING;
    }

    /**
     * Sends every tag whose time has come. A full socket buffer holds the rest back: a real
     * encoder cannot outrun its connection either, and the reported bit rate shows it.
     */
    void sendDue(long nowNanos) {
        if (state != State.PUBLISHING) {
            return;
        }
        boolean wrote = false;
        while (channel.isWritable()) {
            if (pending == null) {
                pending = source.next();
                if (pending == null) {
                    end(FILE_ENDED);
                    // Close once the last tags are on the wire; a plain close would drop what is still queued.
                    channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                if (firstTimestamp < 0) {
                    firstTimestamp = pending.timestamp();
                    startNanos = nowNanos;
                }
            }
            if (startNanos + (pending.timestamp() - firstTimestamp) * 1_000_000 > nowNanos) {
                break;
            }
            send(pending);
            pending = null;
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    private void send(MediaTag tag) {
        int csid = VIDEO_CSID;
        ByteBuf body = tag.body();
        switch (tag.type()) {
            case MediaTag.VIDEO -> videoFrames += FlvMedia.isVideoFrame(tag.first(), tag.second()) ? 1 : 0;
            case MediaTag.AUDIO -> {
                csid = AUDIO_CSID;
                audioFrames += FlvMedia.isAudioFrame(tag.first(), tag.second()) ? 1 : 0;
            }
            default -> {
                csid = DATA_CSID;
                if (ScriptData.isOnMetaData(body)) {
                    body = ScriptData.withSetDataFrame(channel.alloc(), body);
                }
            }
        }
        ByteBuf chunks = RtmpWire.chunk(channel.alloc(), csid, tag.type(), streamId, tag.timestamp(), body, chunkSize);
        bytes += chunks.readableBytes();
        channel.write(chunks, channel.voidPromise());
    }

    /** Ends publishing (the connection closed, or the source ran out); the first reason stays. */
    void end(String why) {
        if (state != State.ENDED) {
            state = State.ENDED;
            reason = why;
        }
        if (pending != null) {
            pending.body().release();
            pending = null;
        }
    }

    void stop() {
        end(STOPPED);
        if (channel != null) {
            channel.close();
        }
    }

    PublisherResult snapshot(long nowNanos) {
        return new PublisherResult(url, state, reason, videoFrames, audioFrames, bytes, source.loops(), nowNanos);
    }
}
