package io.meshlive.bench.play;

import io.meshlive.bench.StreamUrl;
import io.meshlive.bench.wire.FlvTagScanner;
import io.meshlive.bench.wire.HttpChunkedBody;
import io.meshlive.rtmp.client.WhyClosedHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An HTTP-FLV player: one GET, then the response walked in place (head, chunked coding, FLV tags)
 * with tags counted and their bodies never copied.
 */
final class FlvPlayHandler extends WhyClosedHandler implements FlvTagScanner.Listener {
    private static final int MAX_RESPONSE_HEAD = 16 * 1024;
    private static final ByteBuf END_OF_HEAD = Unpooled.unreleasableBuffer(
            Unpooled.copiedBuffer("\r\n\r\n", StandardCharsets.US_ASCII)).asReadOnly();

    private final Player player;
    private final StreamUrl url;
    private final FlvTagScanner flv = new FlvTagScanner(this);
    private final HttpChunkedBody chunked = new HttpChunkedBody(flv);
    /** The response head while it arrives; null once it has been read. */
    private ByteBuf head;
    private boolean isChunked;

    FlvPlayHandler(Player player, StreamUrl url) {
        this.player = player;
        this.url = url;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        head = ctx.alloc().heapBuffer(512, MAX_RESPONSE_HEAD);
        String request = "GET " + url.httpTarget() + " HTTP/1.1\r\nHost: " + url.host() + ":" + url.port()
                + "\r\nUser-Agent: meshlive-bench\r\nAccept: */*\r\n\r\n";
        ctx.writeAndFlush(ByteBufUtil.writeAscii(ctx.alloc(), request), ctx.voidPromise());
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (head == null) {
                body(ctx, in);
            } else {
                responseHead(ctx, in);
            }
        } finally {
            in.release();
        }
    }

    private void responseHead(ChannelHandlerContext ctx, ByteBuf in) {
        // One read may hold the head and much of the body (a player that drains its socket now and then).
        head.writeBytes(in, Math.min(in.readableBytes(), head.maxWritableBytes()));
        int end = ByteBufUtil.indexOf(END_OF_HEAD, head);
        if (end < 0) {
            if (head.maxWritableBytes() == 0) {
                close(ctx, "HTTP response head over " + MAX_RESPONSE_HEAD + " bytes");
            }
            return;
        }
        String[] lines = head.toString(head.readerIndex(), end - head.readerIndex(), StandardCharsets.ISO_8859_1).split("\r\n");
        head.readerIndex(end + END_OF_HEAD.readableBytes());
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[1].equals("200")) {
            close(ctx, "HTTP response '" + lines[0] + "'");
            return;
        }
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].toLowerCase(Locale.ROOT);
            isChunked |= line.startsWith("transfer-encoding:") && line.contains("chunked");
        }
        ByteBuf rest = head;
        head = null;
        try {
            body(ctx, rest);
            if (in.isReadable()) {
                body(ctx, in);
            }
        } finally {
            rest.release();
        }
    }

    private void body(ChannelHandlerContext ctx, ByteBuf in) {
        if (!isChunked) {
            flv.scan(in);
        } else if (!chunked.scan(in)) {
            close(ctx, "the server ended the response");
        }
    }

    @Override
    public void onTag(int type, long timestamp, int dataSize, int first, int second) {
        player.onMedia(type, timestamp, first, second);
    }

    @Override
    protected void ended(String reason) {
        player.closed(reason);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (head != null) {
            head.release();
            head = null;
        }
    }
}
