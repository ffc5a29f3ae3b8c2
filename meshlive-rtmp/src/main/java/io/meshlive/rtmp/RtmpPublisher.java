package io.meshlive.rtmp;

import io.meshlive.core.Session;
import io.meshlive.core.StreamKey;
import io.netty.channel.Channel;

/** An RTMP connection publishing one stream, as the operator sees it. */
final class RtmpPublisher extends Session {
    private final Channel channel;
    private final RtmpConnection connection;

    RtmpPublisher(Channel channel, RtmpConnection connection, StreamKey key) {
        super("rtmp", Role.PUBLISHER, String.valueOf(channel.remoteAddress()));
        this.channel = channel;
        this.connection = connection;
        this.stream = key;
    }

    void addBytesIn(int n) {
        bytesIn += n;
    }

    @Override
    public void close(String reason) {
        if (channel.eventLoop().inEventLoop()) {
            connection.closeWith(reason);
        } else {
            channel.eventLoop().execute(() -> connection.closeWith(reason));
        }
    }
}
