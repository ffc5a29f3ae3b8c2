package io.meshlive.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;

import java.nio.charset.StandardCharsets;

/**
 * Lets HTTP-FLV play on an HTTP/2 stream. FLV egress writes its body pre-framed as HTTP/1.1
 * chunks ({@code size CRLF bytes CRLF}, one chunk per buffer, shared by every viewer) straight to
 * the channel; on a stream channel this takes each chunk's bytes by reference and sends them as
 * one DATA frame. Anything that is not a plain buffer (the response head, already HTTP/2 frames)
 * passes untouched.
 */
final class ChunkedBodyToHttp2Data extends ChannelOutboundHandlerAdapter {
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf chunk)) {
            ctx.write(msg, promise);
            return;
        }
        try {
            int start = chunk.readerIndex();
            int crlf = chunk.indexOf(start, chunk.writerIndex(), (byte) '\r');
            if (crlf < 0) {
                ctx.write(new DefaultHttp2DataFrame(chunk.retainedSlice()), promise); // empty: a write that only waits
                return;
            }
            int size = Integer.parseInt(chunk.toString(start, crlf - start, StandardCharsets.US_ASCII), 16);
            ctx.write(new DefaultHttp2DataFrame(chunk.retainedSlice(crlf + 2, size)), promise);
        } finally {
            chunk.release();
        }
    }
}
