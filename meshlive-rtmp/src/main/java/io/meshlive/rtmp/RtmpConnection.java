package io.meshlive.rtmp;

import io.meshlive.core.AccessRequest;
import io.meshlive.core.Admission;
import io.meshlive.core.Hub;
import io.meshlive.core.PublishOutcome;
import io.meshlive.core.ClientText;
import io.meshlive.core.StreamKey;
import io.meshlive.core.StreamRegistry;
import io.meshlive.rtmp.amf.Amf0Reader;
import io.meshlive.rtmp.amf.AmfException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One RTMP connection after the handshake: reads its messages and answers its commands. An
 * admitted {@code publish} hands the connection's media to its publish path ({@link
 * RtmpPublishing}), an admitted {@code play} starts its play path ({@link RtmpViewer}).
 * Any protocol error closes only this connection, with one log line saying why.
 */
public final class RtmpConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RtmpConnection.class);
    private static final int WINDOW = 2_500_000;
    /** Commands clients send that need no answer from a live server. */
    private static final Set<String> IGNORED = Set.of("FCSubscribe", "FCUnsubscribe", "_checkbw", "receiveAudio",
            "receiveVideo", "_result", "_error", "onBWDone", "setPeerInfo", "seek");

    private final Hub hub;
    private final RtmpSettings settings;
    private final RtmpChunkDecoder decoder;
    private ChannelHandlerContext ctx;
    private String app;
    private Map<String, String> appQuery = Map.of();
    private boolean connected;
    private boolean admitting;
    /** The publish path, once a publish is admitted and attached; null before and after. */
    private RtmpPublishing publishing;
    /** The play path, once a play is admitted. */
    private RtmpViewer viewer;
    private long peerWindow;
    private long acked;
    private boolean closing;

    public RtmpConnection(Hub hub, RtmpSettings settings, RtmpChunkDecoder decoder) {
        this.hub = hub;
        this.settings = settings;
        this.decoder = decoder;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        RtmpMessage m = (RtmpMessage) msg;
        try {
            if (!closing) {
                handle(m);
            }
        } finally {
            m.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (publishing != null) {
            publishing.endOfBatch();
        }
        if (peerWindow > 0 && decoder.bytesReceived() - acked >= peerWindow) {
            acked = decoder.bytesReceived();
            ctx.write(RtmpWire.control(ctx.alloc(), RtmpMessage.ACKNOWLEDGEMENT, (int) acked));
        }
        ctx.flush();
    }

    private void handle(RtmpMessage m) {
        switch (m.typeId()) {
            case RtmpMessage.VIDEO, RtmpMessage.AUDIO, RtmpMessage.DATA_AMF0, RtmpMessage.DATA_AMF3,
                    RtmpMessage.AGGREGATE -> media(m);
            case RtmpMessage.COMMAND_AMF0 -> command(m, m.content());
            case RtmpMessage.COMMAND_AMF3 -> command(m, m.content().skipBytes(m.content().isReadable() ? 1 : 0));
            case RtmpMessage.WINDOW_ACK_SIZE -> peerWindow = readInt(m) & 0xFFFFFFFFL;
            case RtmpMessage.USER_CONTROL -> userControl(m.content());
            case RtmpMessage.ACKNOWLEDGEMENT, RtmpMessage.SET_PEER_BANDWIDTH,
                    RtmpMessage.SHARED_OBJECT_AMF0, RtmpMessage.SHARED_OBJECT_AMF3 -> {
                // Nothing to do: we do not throttle on the peer's acks and have no shared objects.
            }
            default -> throw new RtmpProtocolException("unknown message type " + m.typeId());
        }
    }

    private static int readInt(RtmpMessage m) {
        if (m.content().readableBytes() < 4) {
            throw new RtmpProtocolException("message type " + m.typeId() + " shorter than 4 bytes");
        }
        return m.content().getInt(m.content().readerIndex());
    }

    private void userControl(ByteBuf body) {
        if (body.readableBytes() < 2) {
            throw new RtmpProtocolException("user control message shorter than 2 bytes");
        }
        int event = body.readUnsignedShort();
        if (event == RtmpWire.EVENT_PING_REQUEST && body.readableBytes() >= 4) {
            ctx.write(RtmpWire.userControl(ctx.alloc(), RtmpWire.EVENT_PING_RESPONSE, body.readInt()));
        }
    }

    // ---- publishing ----

    private void media(RtmpMessage m) {
        if (publishing == null) {
            if (!admitting && (m.typeId() == RtmpMessage.VIDEO || m.typeId() == RtmpMessage.AUDIO)) {
                throw new RtmpProtocolException("media message before publish");
            }
            return; // sent before Publish.Start (early metadata, or while admission runs): nothing to attach it to
        }
        publishing.media(m);
    }

    // ---- commands ----

    private void command(RtmpMessage m, ByteBuf body) {
        List<Object> args;
        try {
            args = Amf0Reader.readAll(body);
        } catch (AmfException e) {
            throw new RtmpProtocolException("malformed AMF command: " + e.getMessage());
        }
        if (args.isEmpty() || !(args.get(0) instanceof String name)) {
            throw new RtmpProtocolException("command message without a command name");
        }
        double txn = args.size() > 1 && args.get(1) instanceof Number n ? n.doubleValue() : 0;
        if (!connected && !name.equals("connect")) {
            throw new RtmpProtocolException("command " + ClientText.quote(name) + " before connect");
        }
        switch (name) {
            case "connect" -> connect(txn, args);
            case "createStream" -> send(0, "_result", txn, null, (double) RtmpMediaFormat.MEDIA_STREAM_ID);
            case "releaseStream", "FCPublish" -> send(0, "_result", txn, null, null);
            // A live stream has no length; libavformat-based players expect a number, not null.
            case "getStreamLength" -> send(0, "_result", txn, null, 0.0);
            case "publish" -> publish(m.streamId(), stringArg(args, 3, "publish"));
            case "play" -> play(m.streamId(), stringArg(args, 3, "play"));
            case "pause" -> pause(args);
            case "FCUnpublish", "closeStream", "deleteStream" -> stop(name);
            default -> {
                if (!IGNORED.contains(name)) {
                    send(0, "_error", txn, null, RtmpWire.status("error", "NetConnection.Call.Failed",
                            "unknown command " + ClientText.quote(name)));
                    throw new RtmpProtocolException("unknown command " + ClientText.quote(name));
                }
            }
        }
    }

    private static String stringArg(List<Object> args, int index, String command) {
        if (args.size() <= index || !(args.get(index) instanceof String s) || s.isEmpty()) {
            throw new RtmpProtocolException(command + " without a stream name");
        }
        return s;
    }

    private void connect(double txn, List<Object> args) {
        if (connected) {
            throw new RtmpProtocolException("second connect on one connection");
        }
        if (args.size() < 3 || !(args.get(2) instanceof Map<?, ?> props) || !(props.get("app") instanceof String a)) {
            throw new RtmpProtocolException("connect without a command object naming the app");
        }
        app = stripQuery(a);
        appQuery = AccessRequest.parseQuery(queryOf(a));
        if (app.endsWith("/")) {
            app = app.substring(0, app.length() - 1);
        }
        try {
            StreamKey.checkName("app", app);
        } catch (IllegalArgumentException e) {
            hub.refusals().record("rtmp", AccessRequest.Action.PLAY, "bad-name");
            send(0, "_error", txn, null, RtmpWire.status("error", "NetConnection.Connect.Rejected", e.getMessage()));
            closeAfterFlush("connect refused: " + e.getMessage());
            return;
        }
        connected = true;
        Object encoding = props.get("objectEncoding");
        ctx.write(RtmpWire.control(ctx.alloc(), RtmpMessage.WINDOW_ACK_SIZE, WINDOW));
        ctx.write(RtmpWire.peerBandwidth(ctx.alloc(), WINDOW, 2));
        ctx.write(RtmpWire.control(ctx.alloc(), RtmpMessage.SET_CHUNK_SIZE, RtmpMediaFormat.CHUNK_SIZE));
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("fmsVer", "FMS/3,5,7,7009");
        properties.put("capabilities", 31.0);
        properties.put("mode", 1.0);
        Map<String, Object> info = RtmpWire.status("status", "NetConnection.Connect.Success", "Connection succeeded.");
        info.put("objectEncoding", encoding instanceof Number n ? n.doubleValue() : 0.0);
        send(0, "_result", txn, properties, info);
    }

    private void publish(int streamId, String name) {
        if (publishing != null || viewer != null || admitting) {
            throw new RtmpProtocolException("publish on a connection that already publishes or plays");
        }
        // An encoder sends its first frames right behind publish, before the admission answers.
        decoder.allowMediaMessages();
        StreamKey key;
        try {
            key = key(name);
        } catch (IllegalArgumentException e) {
            refuse(AccessRequest.Action.PUBLISH, "bad-name", streamId, "NetStream.Publish.BadName", e.getMessage());
            return;
        }
        admit(AccessRequest.Action.PUBLISH, key, name, () -> startPublishing(streamId, key),
                v -> refuse(AccessRequest.Action.PUBLISH, v.kind(), streamId, "NetStream.Publish.Denied", v.reason()));
    }

    private void startPublishing(int streamId, StreamKey key) {
        RtmpPublisher session = new RtmpPublisher(ctx.channel(), this, key);
        StreamRegistry.Attached attached = hub.streams().attachPublisher(key, session);
        if (attached.outcome() == PublishOutcome.BUSY) {
            refuse(AccessRequest.Action.PUBLISH, "busy", streamId, "NetStream.Publish.BadName", key + " is already being published");
            return;
        }
        publishing = new RtmpPublishing(hub, session, attached.stream());
        ctx.write(RtmpWire.userControl(ctx.alloc(), RtmpWire.EVENT_STREAM_BEGIN, streamId));
        onStatus(streamId, "status", "NetStream.Publish.Start", key + " is now published.");
        ctx.flush();
        log.info("{} started{}", session, attached.outcome() == PublishOutcome.TOOK_OVER ? " (took over)" : "");
    }

    /**
     * Runs the node's admission checks (forbid list, signed URL, webhook) without blocking, then
     * continues on this connection's event loop with {@code allowed} or {@code denied}.
     */
    private void admit(AccessRequest.Action action, StreamKey key, String name, Runnable allowed,
                       java.util.function.Consumer<Admission.Verdict> denied) {
        Map<String, String> query = new LinkedHashMap<>(appQuery);
        query.putAll(AccessRequest.parseQuery(queryOf(name)));
        AccessRequest request = new AccessRequest(action, "rtmp", key, query, AccessRequest.ipOf(ctx.channel().remoteAddress()));
        admitting = true;
        hub.admission().checkOn(ctx.executor(), request, verdict -> {
            admitting = false;
            if (closing || !ctx.channel().isActive()) {
                return;
            }
            if (verdict.allowed()) {
                allowed.run();
            } else {
                denied.accept(verdict);
            }
        });
    }

    private void refuse(AccessRequest.Action action, String kind, int streamId, String code, String why) {
        hub.refusals().record("rtmp", action, kind);
        onStatus(streamId, "error", code, why);
        closeAfterFlush(action.lower() + " refused: " + why);
    }

    private void play(int streamId, String name) {
        if (publishing != null || viewer != null || admitting) {
            throw new RtmpProtocolException("play on a connection that already publishes or plays");
        }
        StreamKey key;
        try {
            key = key(name);
        } catch (IllegalArgumentException e) {
            refuse(AccessRequest.Action.PLAY, "bad-name", streamId, "NetStream.Play.StreamNotFound", e.getMessage());
            return;
        }
        admit(AccessRequest.Action.PLAY, key, name, () -> startPlaying(key),
                v -> refuse(AccessRequest.Action.PLAY, v.kind(), RtmpMediaFormat.MEDIA_STREAM_ID, "NetStream.Play.Failed", v.reason()));
    }

    private void startPlaying(StreamKey key) {
        // A player may stay silent for long; its liveness is the viewer's write budget, not reads.
        ctx.pipeline().remove(IdleStateHandler.class);
        viewer = new RtmpViewer(ctx.channel(), hub, key);
        viewer.play();
    }

    private void pause(List<Object> args) {
        if (viewer != null) {
            viewer.pause(args.size() > 3 && Boolean.TRUE.equals(args.get(3)));
        }
    }

    private void stop(String command) {
        if (publishing != null) {
            onStatus(RtmpMediaFormat.MEDIA_STREAM_ID, "status", "NetStream.Unpublish.Success",
                    publishing.session().stream() + " is unpublished.");
            unpublish(command);
        }
    }

    private void unpublish(String why) {
        if (publishing != null) {
            publishing.detach();
            log.info("{} stopped after {} bytes ({})", publishing.session(), publishing.session().bytesIn(), why);
            publishing = null;
        }
    }

    /** The stream {@code name} (its query stripped) names in this connection's app; throws, stating the name rule, when it breaks it. */
    private StreamKey key(String name) {
        return new StreamKey(app, stripQuery(name));
    }

    private static String stripQuery(String s) {
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q);
    }

    private static String queryOf(String s) {
        int q = s.indexOf('?');
        return q < 0 ? null : s.substring(q + 1);
    }

    private void onStatus(int streamId, String level, String code, String description) {
        send(streamId, "onStatus", 0.0, null, RtmpWire.status(level, code, description));
    }

    private void send(int streamId, Object... values) {
        ctx.write(RtmpWire.command(ctx.alloc(), streamId, RtmpMediaFormat.CHUNK_SIZE, values));
    }

    // ---- ending ----

    private void closeAfterFlush(String reason) {
        closing = true;
        log.info("rtmp {} closed: {}", ctx.channel().remoteAddress(), reason);
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> ctx.close());
    }

    /** Closes the connection for {@code reason}; on the channel's loop. */
    void closeWith(String reason) {
        if (closing) {
            return;
        }
        closing = true;
        unpublish(reason);
        if (viewer == null) {
            log.info("rtmp {} closed: {}", ctx.channel().remoteAddress(), reason);
        }
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (viewer == null) {
                closeWith(publishing != null ? "publisher sent nothing for " + settings.idleTimeoutMillis() + " ms"
                        : "neither published nor played within " + settings.idleTimeoutMillis() + " ms");
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (publishing != null) {
            unpublish("connection closed");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        boolean expected = c instanceof RtmpProtocolException || c instanceof AmfException || c instanceof java.io.IOException;
        String reason = c instanceof java.io.IOException ? "I/O error: " + c.getMessage()
                : expected ? c.getMessage() : c.toString();
        if (!expected) {
            log.warn("rtmp {} failed", ctx.channel().remoteAddress(), c);
        }
        if (viewer != null) {
            viewer.close(reason);
        }
        closeWith(reason);
    }
}
