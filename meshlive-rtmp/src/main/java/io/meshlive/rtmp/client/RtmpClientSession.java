package io.meshlive.rtmp.client;

import io.meshlive.rtmp.PartialMessageBudget;
import io.meshlive.rtmp.RtmpChunkDecoder;
import io.meshlive.rtmp.RtmpClientHandshake;
import io.meshlive.rtmp.RtmpMessage;
import io.meshlive.rtmp.RtmpWire;
import io.meshlive.rtmp.amf.Amf0Reader;
import io.meshlive.rtmp.amf.AmfException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;

import java.util.List;
import java.util.Map;

/**
 * The client half of an RTMP session after the handshake, under {@link RtmpPlaySession} and
 * {@link RtmpPublishSession}: it sends connect, reads the messages {@link RtmpChunkDecoder}
 * reassembles, acknowledges them, answers pings, and turns {@code _result}, {@code _error} and
 * {@code onStatus} into calls; an error status closes the connection with the server's code and
 * description as the reason. Media messages go to {@link #onMedia}.
 */
public abstract class RtmpClientSession extends WhyClosedHandler {
    /** Protocol control messages travel on chunk stream 2. */
    protected static final int CONTROL_CSID = 2;
    /** The largest message a server may send us, as the server's own default limit (rtmp.maxMessageSize): a 4K keyframe fits. */
    public static final int MAX_MESSAGE = 8 * 1024 * 1024;
    /** RTMP's initial chunk size, in force until we send Set Chunk Size. */
    private static final int DEFAULT_CHUNK_SIZE = 128;
    /** The acknowledgement window we announce after connect, as ffmpeg does. */
    private static final int WINDOW = 2_500_000;
    private static final double CONNECT_TXN = 1;

    protected final RtmpUrl url;
    protected ChannelHandlerContext ctx;
    private RtmpChunkDecoder decoder;
    private long acknowledged;
    private long ackWindow;
    private boolean wrote;
    private int chunkSize = DEFAULT_CHUNK_SIZE;

    protected RtmpClientSession(RtmpUrl url) {
        this.url = url;
    }

    /**
     * Puts the client's handlers on a new channel's pipeline: TLS when the URL is rtmps (with
     * {@code tls}, which must then be given), the handshake, the chunk decoder, then this session.
     */
    public final void install(ChannelPipeline pipeline, SslContext tls) {
        if (url.tls()) {
            if (tls == null) {
                throw new IllegalArgumentException(url.redacted() + " is rtmps:// but no TLS context was given");
            }
            pipeline.addLast(tls.newHandler(pipeline.channel().alloc(), url.host(), url.port()));
        }
        // The server we play from sends media at once. This connection alone holds what it has half-read: a few
        // messages interleaved on their chunk streams (audio, video, data), not one per possible chunk stream.
        RtmpChunkDecoder decoder = new RtmpChunkDecoder(MAX_MESSAGE, PartialMessageBudget.ofOneConnection(4L * MAX_MESSAGE));
        decoder.allowMediaMessages();
        pipeline.addLast(new RtmpClientHandshake(), decoder, this);
    }

    /** The connect command's object (app, tcUrl and whatever this kind of client sends). */
    protected abstract Map<String, Object> connectObject();

    /** The server accepted connect. */
    protected abstract void onConnected();

    /** A {@code _result} other than connect's. */
    protected abstract void onResult(double txn, List<Object> args);

    /** A status (not an error) such as {@code NetStream.Publish.Start}. */
    protected void onStatus(String code) {
    }

    /** An audio, video, data or aggregate message; it stays the caller's. */
    protected void onMedia(RtmpMessage message) {
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.decoder = ctx.pipeline().get(RtmpChunkDecoder.class);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt != RtmpClientHandshake.COMPLETE) {
            super.userEventTriggered(ctx, evt);
            return;
        }
        command(0, "connect", CONNECT_TXN, connectObject());
        write(RtmpWire.control(ctx.alloc(), RtmpMessage.WINDOW_ACK_SIZE, WINDOW));
        flush();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        RtmpMessage m = (RtmpMessage) msg;
        try {
            ByteBuf body = m.content();
            switch (m.typeId()) {
                case RtmpMessage.WINDOW_ACK_SIZE -> {
                    if (body.readableBytes() >= 4) {
                        ackWindow = body.getUnsignedInt(body.readerIndex());
                    }
                }
                case RtmpMessage.USER_CONTROL -> {
                    if (body.readableBytes() >= 6 && body.getUnsignedShort(body.readerIndex()) == RtmpWire.EVENT_PING_REQUEST) {
                        write(RtmpWire.userControl(ctx.alloc(), RtmpWire.EVENT_PING_RESPONSE, body.getInt(body.readerIndex() + 2)));
                    }
                }
                case RtmpMessage.COMMAND_AMF0 -> onCommand(body);
                case RtmpMessage.COMMAND_AMF3 -> onCommand(body.skipBytes(body.isReadable() ? 1 : 0));
                case RtmpMessage.AUDIO, RtmpMessage.VIDEO, RtmpMessage.DATA_AMF0, RtmpMessage.DATA_AMF3,
                        RtmpMessage.AGGREGATE -> onMedia(m);
                default -> {
                    // Acknowledgement, Set Peer Bandwidth, shared objects: a client neither throttles nor is throttled.
                }
            }
        } finally {
            m.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        long received = decoder.bytesReceived();
        if (ackWindow > 0 && received - acknowledged >= ackWindow) {
            acknowledged = received;
            write(RtmpWire.control(ctx.alloc(), RtmpMessage.ACKNOWLEDGEMENT, (int) received));
        }
        flush();
    }

    private void onCommand(ByteBuf body) {
        List<Object> args;
        try {
            args = Amf0Reader.readAll(body);
        } catch (AmfException e) {
            close(ctx, "malformed AMF command from the server: " + e.getMessage());
            return;
        }
        if (args.size() < 2 || !(args.get(0) instanceof String name) || !(args.get(1) instanceof Number txn)) {
            return;
        }
        switch (name) {
            case "_result" -> {
                if (txn.doubleValue() == CONNECT_TXN) {
                    onConnected();
                } else {
                    onResult(txn.doubleValue(), args);
                }
            }
            case "_error" -> close(ctx, "server refused transaction " + txn.intValue() + ": " + info(args, "description"));
            case "onStatus" -> {
                if ("error".equals(info(args, "level"))) {
                    close(ctx, info(args, "code") + ": " + info(args, "description"));
                } else {
                    onStatus(String.valueOf(info(args, "code")));
                }
            }
            default -> {
                // onBWDone, onFCPublish and the like: nothing a client acts on.
            }
        }
    }

    /** A field of the info object of a status or error (the fourth value). */
    private static Object info(List<Object> args, String field) {
        return args.size() > 3 && args.get(3) instanceof Map<?, ?> info ? info.get(field) : null;
    }

    /** The number a {@code _result} returned (createStream's stream id), or -1. */
    protected static int resultNumber(List<Object> args) {
        return args.size() > 3 && args.get(3) instanceof Number n ? n.intValue() : -1;
    }

    protected final void command(int streamId, Object... values) {
        write(RtmpWire.command(ctx.alloc(), streamId, chunkSize, values));
    }

    /** Announces a new outgoing chunk size; every message written after this is chunked with it. */
    protected final void setChunkSize(int size) {
        write(RtmpWire.control(ctx.alloc(), RtmpMessage.SET_CHUNK_SIZE, size));
        chunkSize = size;
    }

    protected final int chunkSize() {
        return chunkSize;
    }

    /** Queues chunked bytes; {@link #flush} sends them. */
    protected final void write(ByteBuf chunks) {
        ctx.write(chunks, ctx.voidPromise());
        wrote = true;
    }

    protected final void flush() {
        if (wrote) {
            wrote = false;
            ctx.flush();
        }
    }
}
