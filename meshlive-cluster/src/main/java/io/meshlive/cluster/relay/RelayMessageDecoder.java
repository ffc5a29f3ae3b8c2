package io.meshlive.cluster.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Splits the relay byte stream into messages ({@code u8 type | body}, a retained slice of what was
 * read, no copy). The size limit starts at {@link RelayWire#MAX_HANDSHAKE} and grows to
 * {@link RelayWire#MAX_MESSAGE} only once the peer proved it holds the secret, so a stranger can
 * make the node buffer at most a few hundred bytes.
 */
final class RelayMessageDecoder extends ByteToMessageDecoder {
    private int limit = RelayWire.MAX_HANDSHAKE;

    void authenticated() {
        limit = RelayWire.MAX_MESSAGE;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 4) {
            int length = in.getInt(in.readerIndex());
            if (length < 1 || length > limit) {
                in.skipBytes(in.readableBytes());
                throw new RelayProtocolException("bad message length " + Integer.toUnsignedString(length) + " (allowed 1-" + limit + ")");
            }
            if (in.readableBytes() < 4 + length) {
                return;
            }
            in.skipBytes(4);
            out.add(in.readRetainedSlice(length));
        }
    }
}
