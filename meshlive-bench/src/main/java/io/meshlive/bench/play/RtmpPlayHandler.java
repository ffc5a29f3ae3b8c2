package io.meshlive.bench.play;

import io.meshlive.bench.StreamUrl;
import io.meshlive.rtmp.RtmpMessage;
import io.meshlive.rtmp.client.RtmpPlaySession;
import io.netty.buffer.ByteBuf;

/** A bench RTMP player: meshlive-rtmp's play client, counting media as it arrives. */
final class RtmpPlayHandler extends RtmpPlaySession {
    private final Player player;

    RtmpPlayHandler(Player player, StreamUrl url) {
        super(url.rtmpUrl());
        this.player = player;
    }

    @Override
    protected void onMedia(RtmpMessage message) {
        ByteBuf body = message.content();
        int at = body.readerIndex();
        int n = body.readableBytes();
        player.onMedia(message.typeId(), message.timestamp(), n > 0 ? body.getUnsignedByte(at) : -1,
                n > 1 ? body.getUnsignedByte(at + 1) : -1);
    }

    @Override
    protected void ended(String reason) {
        player.closed(reason);
    }
}
