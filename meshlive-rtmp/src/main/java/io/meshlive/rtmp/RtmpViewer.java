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
        channel.write(RtmpWire.command(channel.alloc(), RtmpMediaFormat.MEDIA_STREAM_ID, RtmpMediaFormat.CHUNK_SIZE,
                "onStatus", 0.0, null, RtmpWire.status("status", "NetStream.Play.UnpublishNotify",
                        stream() + " is unpublished")), channel.voidPromise());
    }
}
