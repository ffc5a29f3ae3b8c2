package io.meshlive.rtmp;

import io.meshlive.core.ChannelViewer;
import io.meshlive.core.Hub;
import io.meshlive.core.StreamKey;
import io.netty.channel.Channel;

/** An RTMP player: the shared RTMP chunk encoding, plus the onStatus notices players expect. */
final class RtmpViewer extends ChannelViewer {
    RtmpViewer(Channel channel, Hub hub, StreamKey key) {
        super("rtmp", channel, hub, key, RtmpMediaFormat.INSTANCE);
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
