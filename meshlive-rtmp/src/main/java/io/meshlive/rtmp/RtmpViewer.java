package io.meshlive.rtmp;

import io.meshlive.core.ChannelViewer;
import io.meshlive.core.Hub;
import io.meshlive.core.StreamKey;
import io.netty.channel.Channel;

/**
 * The play path of an RTMP connection: the shared RTMP chunk encoding, plus the notices players
 * expect when playing starts, pauses and stops.
 */
final class RtmpViewer extends ChannelViewer {
    RtmpViewer(Channel channel, Hub hub, StreamKey key) {
        super("rtmp", channel, hub, key, RtmpMediaFormat.INSTANCE);
    }

    /** Answers an admitted {@code play}: the notices players wait for, then the stream from its last keyframe. */
    void play() {
        channel.write(RtmpWire.userControl(channel.alloc(), RtmpWire.EVENT_STREAM_BEGIN, RtmpMediaFormat.MEDIA_STREAM_ID),
                channel.voidPromise());
        onStatus("NetStream.Play.Reset", "Playing and resetting " + stream());
        onStatus("NetStream.Play.Start", "Started playing " + stream());
        channel.write(RtmpWire.data(channel.alloc(), RtmpMediaFormat.MEDIA_STREAM_ID, RtmpMediaFormat.CHUNK_SIZE,
                "|RtmpSampleAccess", false, false), channel.voidPromise());
        start();
    }

    /** The player's {@code pause} (true) or unpause (false). */
    void pause(boolean pause) {
        setPaused(pause);
        onStatus(pause ? "NetStream.Pause.Notify" : "NetStream.Unpause.Notify", pause ? "Paused." : "Unpaused.");
    }

    @Override
    public void onPublisherGone() {
        super.onPublisherGone();
        onStatus("NetStream.Play.UnpublishNotify", stream() + " is unpublished");
    }

    /** The hub ends the stream for this player: say so in RTMP's own terms before the connection closes. */
    @Override
    public void onStreamClosed(String reason) {
        onStatus("NetStream.Play.Stop", "stopped: " + reason);
        channel.flush();
        super.onStreamClosed(reason);
    }

    private void onStatus(String code, String description) {
        channel.write(RtmpWire.command(channel.alloc(), RtmpMediaFormat.MEDIA_STREAM_ID, RtmpMediaFormat.CHUNK_SIZE,
                "onStatus", 0.0, null, RtmpWire.status("status", code, description)), channel.voidPromise());
    }
}
