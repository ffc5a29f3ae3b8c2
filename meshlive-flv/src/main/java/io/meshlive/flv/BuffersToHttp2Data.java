package io.meshlive.flv;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;

/**
 * HTTP-FLV on an HTTP/2 stream: each buffer the viewer writes (the file header, a tag in {@link
 * FlvEgressFormat#HTTP2}, shared by every viewer) goes out as the content of one DATA frame, by
 * reference, nothing parsed or copied. The response head, already an HTTP/2 frame, passes untouched.
 */
final class BuffersToHttp2Data extends ChannelOutboundHandlerAdapter {
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg instanceof ByteBuf bytes ? new DefaultHttp2DataFrame(bytes) : msg, promise);
    }
}
