package io.meshlive.bench.play;

import io.meshlive.bench.StreamUrl;
import io.meshlive.bench.play.PlayerResult.State;
import io.meshlive.bench.wire.FlvMedia;
import io.netty.channel.Channel;

import java.util.concurrent.CompletableFuture;

/**
 * One simulated viewer: where it plays from, how far it got, and what it received. Confined to
 * its event loop; other threads see it only through {@link #snapshot}, taken on that loop.
 */
final class Player {
    private static final int AUDIO = 8;
    private static final int VIDEO = 9;
    private static final int SCRIPT_DATA = 18;

    private final int index;
    private final StreamUrl url;
    private State state = State.WAITING;
    private String reason;
    private Channel channel;
    /** An LL-HLS player's part connection (its playlist connection is {@link #channel}). */
    private Channel second;
    /** A WHEP player's session (it has no {@link #channel} of its own). */
    private WhepSession whep;
    private boolean stopping;
    private long connectStartNanos;
    private long firstVideoNanos;
    private long bytes;
    private long videoFrames;
    private long audioFrames;
    private long scriptData;
    private long lastMediaTimestamp = -1;
    private long reloads;
    private long stalls;
    private long httpErrors;
    private long hintsNotProduced;
    private long missingHints;
    private WaitHistogram partWaits;

    Player(int index, StreamUrl url) {
        this.index = index;
        this.url = url;
    }

    StreamUrl url() {
        return url;
    }

    void connecting(Channel channel, long nowNanos) {
        this.channel = channel;
        this.connectStartNanos = nowNanos;
        state = State.CONNECTING;
    }

    /** A WHEP player: its session is posting the offer. */
    void connecting(WhepSession session, long nowNanos) {
        this.whep = session;
        this.connectStartNanos = nowNanos;
        state = State.CONNECTING;
    }

    /** The second connection of an LL-HLS player. */
    void alsoConnecting(Channel channel) {
        this.second = channel;
    }

    void connected() {
        if (state == State.CONNECTING) {
            state = State.CONNECTED;
        }
    }

    void failed(String why) {
        state = State.FAILED;
        reason = why;
    }

    /** The connection ended; not counted against the server when the bench itself is stopping. */
    void closed(String why) {
        if (!stopping && state == State.CONNECTED) {
            state = State.CLOSED;
            reason = why;
        }
    }

    void received(int n) {
        bytes += n;
    }

    /** An RTMP media message or FLV tag (both use 8 for audio, 9 for video, 18 for script data) with its first two body bytes. */
    void onMedia(int type, long timestamp, int first, int second) {
        if (type == VIDEO && FlvMedia.isVideoFrame(first, second)) {
            onVideoFrame();
            lastMediaTimestamp = timestamp;
        } else if (type == AUDIO && FlvMedia.isAudioFrame(first, second)) {
            onAudioFrame();
            lastMediaTimestamp = timestamp;
        } else if (type == SCRIPT_DATA) {
            scriptData++; // onMetaData and cues (onCuePoint): what a cue load delivers is seen here
        }
    }

    /**
     * The first picture a decoder can start from has begun to arrive (a WHEP player's first
     * keyframe packet): the end of its time to first frame. Later calls change nothing.
     */
    void pictureStarts() {
        if (firstVideoNanos == 0) {
            firstVideoNanos = System.nanoTime();
        }
    }

    void onVideoFrame() {
        pictureStarts();
        videoFrames++;
    }

    void onAudioFrame() {
        audioFrames++;
    }

    /** An LL-HLS part arrived {@code waitNanos} after it was asked for. */
    void onPart(long waitNanos) {
        onVideoFrame();
        if (partWaits == null) {
            partWaits = new WaitHistogram();
        }
        partWaits.record(waitNanos);
    }

    /**
     * The media time (ms) received so far, for players without RTMP/FLV timestamps: LL-HLS from the
     * playlists' part durations, WHEP from the video RTP timestamps.
     */
    void mediaTime(long millis) {
        lastMediaTimestamp = millis;
    }

    void onReload() {
        reloads++;
    }

    void onStall() {
        stalls++;
    }

    void onHttpError() {
        httpErrors++;
    }

    void onHintNotProduced() {
        hintsNotProduced++;
    }

    void onMissingHint() {
        missingHints++;
    }

    /** A player whose connection does not read by itself: reads what waits in its socket now. */
    void drain() {
        if (channel != null && channel.isActive()) {
            channel.read();
        }
    }

    /** Closes the player's connections; the future completes when a WHEP session's DELETE is answered. */
    CompletableFuture<Void> stop() {
        stopping = true;
        if (channel != null) {
            channel.close();
        }
        if (second != null) {
            second.close();
        }
        return whep == null ? CompletableFuture.completedFuture(null) : whep.stop();
    }

    PlayerResult snapshot(long nowNanos) {
        return new PlayerResult(index, url, state, reason, bytes, videoFrames, audioFrames, scriptData,
                firstVideoNanos == 0 ? -1 : firstVideoNanos - connectStartNanos,
                firstVideoNanos, lastMediaTimestamp, nowNanos, url.hls() ? new HlsCounts(reloads, stalls, httpErrors, hintsNotProduced, missingHints,
                        partWaits == null ? new WaitHistogram() : partWaits.copy()) : null,
                whep == null ? null : whep.counts(), whep == null ? null : whep.join());
    }
}
