package io.meshlive.cluster.staticrelay;

import io.meshlive.media.Frame;
import io.meshlive.media.MediaFormatException;
import io.meshlive.media.flv.FlvStreamReader;
import io.meshlive.media.flv.FlvTag;
import io.meshlive.rtmp.client.WhyClosedHandler;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

import java.net.URI;

/**
 * A static pull over HTTP-FLV: GETs the URL and publishes the FLV tags of the response body as
 * they arrive, parsed by {@link FlvStreamReader}. Anything but a 200 with FLV closes the
 * connection with the reason (the relay retries).
 */
final class FlvPullHandler extends WhyClosedHandler {
    private final URI url;
    private final PullPublisher publisher;
    private final StaticPull relay;
    private final int attempt;
    private final FlvStreamReader reader = new FlvStreamReader();
    private ByteBuf cumulation;

    FlvPullHandler(URI url, PullPublisher publisher, StaticPull relay, int attempt) {
        this.url = url;
        this.publisher = publisher;
        this.relay = relay;
        this.attempt = attempt;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        String target = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() != null ? "?" + url.getRawQuery() : "");
        DefaultFullHttpRequest get = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target);
        get.headers().set(HttpHeaderNames.HOST, url.getPort() > 0 ? url.getHost() + ":" + url.getPort() : url.getHost());
        get.headers().set(HttpHeaderNames.USER_AGENT, "meshlive-relay");
        get.headers().set(HttpHeaderNames.ACCEPT, "*/*");
        ctx.writeAndFlush(get);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpResponse response && response.status().code() != HttpResponseStatus.OK.code()) {
                close(ctx, "HTTP " + response.status() + " from " + url.getHost());
                return;
            }
            if (msg instanceof HttpContent content) {
                ByteBuf in = content.content();
                if (in.isReadable()) {
                    publisher.received(in.readableBytes());
                    cumulation = cumulation == null ? in.retain()
                            : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in.retain());
                    readTags(ctx);
                }
                if (msg instanceof LastHttpContent && ctx.channel().isActive()) {
                    close(ctx, "the server ended the response");
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void readTags(ChannelHandlerContext ctx) {
        long now = System.nanoTime();
        try {
            for (FlvTag tag = reader.next(cumulation); tag != null; tag = reader.next(cumulation)) {
                Frame frame;
                try {
                    frame = tag.toFrame(now);
                } finally {
                    tag.release();
                }
                if (frame != null) {
                    publisher.frame(frame);
                }
            }
        } catch (MediaFormatException e) {
            close(ctx, "bad FLV from " + url.getHost() + ": " + e.getMessage());
            return;
        }
        if (!cumulation.isReadable()) {
            cumulation.release();
            cumulation = null;
        } else if (cumulation.refCnt() == 1) {
            // Only when no frame holds a slice of it: discarding moves the bytes under such slices.
            cumulation.discardSomeReadBytes();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        publisher.endOfBatch();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            close(ctx, "nothing received for " + StaticRelay.READ_IDLE_SECONDS + " s");
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void ended(String reason) {
        publisher.detach(reason);
        relay.ended(attempt, reason);
    }
}
