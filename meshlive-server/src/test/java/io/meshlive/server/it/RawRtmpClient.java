package io.meshlive.server.it;

import io.meshlive.rtmp.PartialMessageBudget;
import io.meshlive.rtmp.RtmpChunkDecoder;
import io.meshlive.rtmp.RtmpChunkWriter;
import io.meshlive.rtmp.RtmpMessage;
import io.meshlive.rtmp.RtmpWire;
import io.meshlive.rtmp.amf.Amf0Reader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An RTMP client on a plain socket, for sending what real clients never do: a wrong handshake, a
 * lying chunk header, half a message. The well-formed parts are built with the server's own
 * {@link RtmpWire} and {@link RtmpChunkWriter}, so only the deliberate faults are written here.
 */
final class RawRtmpClient implements AutoCloseable {
    /** The chunk size every RTMP connection starts with; this client never changes it. */
    static final int CHUNK_SIZE = 128;
    /** The chunk stream ffmpeg and OBS send video on. */
    static final int VIDEO_CSID = 6;
    /** The message stream id the server hands out in answer to createStream. */
    static final int MEDIA_STREAM_ID = 1;
    private static final int HANDSHAKE_PACKET = 1536;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawRtmpClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawRtmpClient connect(TestServer server) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(5000);
        s.connect(new InetSocketAddress(server.host(), server.rtmpPort()), 2000);
        return new RawRtmpClient(s);
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends {@code bytes}' readable bytes and releases it. */
    void send(ByteBuf bytes) throws IOException {
        try {
            send(ByteBufUtil.getBytes(bytes));
        } finally {
            bytes.release();
        }
    }

    /** The simple (digest-less) handshake: C0 C1 with zeros in C1's version field, S0 S1 S2, C2 = S1. */
    void handshake() throws IOException {
        byte[] c0c1 = new byte[1 + HANDSHAKE_PACKET];
        ThreadLocalRandom.current().nextBytes(c0c1);
        c0c1[0] = 3;
        for (int i = 5; i < 9; i++) {
            c0c1[i] = 0;
        }
        send(c0c1);
        byte[] s0s1s2 = new byte[1 + 2 * HANDSHAKE_PACKET];
        in.readFully(s0s1s2);
        if (s0s1s2[0] != 3) {
            throw new IOException("server answered handshake version " + s0s1s2[0]);
        }
        byte[] c2 = new byte[HANDSHAKE_PACKET];
        System.arraycopy(s0s1s2, 1, c2, 0, HANDSHAKE_PACKET);
        send(c2);
    }

    /** connect, createStream and publish, sent at once without waiting for the answers, as encoders do. */
    void publish(String app, String stream) throws IOException {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("app", app);
        props.put("type", "nonprivate");
        props.put("flashVer", "FMLE/3.0 (compatible; meshlive-it)");
        props.put("tcUrl", "rtmp://127.0.0.1/" + app);
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        send(RtmpWire.command(alloc, 0, CHUNK_SIZE, "connect", 1.0, props));
        send(RtmpWire.command(alloc, 0, CHUNK_SIZE, "createStream", 2.0, null));
        send(RtmpWire.command(alloc, MEDIA_STREAM_ID, CHUNK_SIZE, "publish", 3.0, null, stream, "live"));
    }

    /** connect (transaction 1), without waiting for the answer. */
    void connect(String app) throws IOException {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("app", app);
        props.put("tcUrl", "rtmp://127.0.0.1/" + app);
        send(RtmpWire.command(ByteBufAllocator.DEFAULT, 0, CHUNK_SIZE, "connect", 1.0, props));
    }

    /**
     * Reads the server's messages until an AMF0 command answering transaction {@code txn} arrives,
     * and returns its values (name, transaction, command object, the rest). The server's chunks
     * are taken apart by its own {@link RtmpChunkDecoder}, which follows its Set Chunk Size.
     */
    List<Object> awaitReply(double txn) throws IOException {
        EmbeddedChannel decoder = new EmbeddedChannel(new RtmpChunkDecoder(1 << 20, new PartialMessageBudget(1 << 22)));
        try {
            byte[] chunk = new byte[4096];
            while (true) {
                RtmpMessage m;
                while ((m = decoder.readInbound()) != null) {
                    try {
                        if (m.typeId() == RtmpMessage.COMMAND_AMF0) {
                            List<Object> values = Amf0Reader.readAll(m.content());
                            if (values.size() > 1 && values.get(1) instanceof Number n && n.doubleValue() == txn) {
                                return values;
                            }
                        }
                    } finally {
                        m.release();
                    }
                }
                int n = in.read(chunk);
                if (n < 0) {
                    throw new IOException("the server closed before answering transaction " + txn);
                }
                decoder.writeInbound(Unpooled.copiedBuffer(chunk, 0, n));
            }
        } finally {
            decoder.finishAndReleaseAll();
        }
    }

    /** A whole video message of {@code length} bytes (an AVC inter frame of zeros), chunked. */
    static ByteBuf videoMessage(int length) {
        return videoMessage(Unpooled.buffer(length).writeByte(0x27).writeByte(1).writeZero(length - 2));
    }

    /** A whole video message carrying {@code payload} (an FLV video tag body, released here), chunked. */
    static ByteBuf videoMessage(ByteBuf payload) {
        return videoMessage(payload, 0);
    }

    /** The same, stamped {@code timestampMs}. */
    static ByteBuf videoMessage(ByteBuf payload, long timestampMs) {
        int length = payload.readableBytes();
        try {
            ByteBuf chunks = Unpooled.buffer(RtmpChunkWriter.encodedLength(VIDEO_CSID, timestampMs, length, CHUNK_SIZE));
            RtmpChunkWriter.write(chunks, VIDEO_CSID, RtmpMessage.VIDEO, MEDIA_STREAM_ID, timestampMs, payload, CHUNK_SIZE);
            return chunks;
        } finally {
            payload.release();
        }
    }

    /** The client's own port: how the server's log names this connection. */
    int localPort() {
        return socket.getLocalPort();
    }

    /** Half-closes: the server reads end-of-stream, the client can still read. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /**
     * Reads (and drops) whatever the server sends until it closes the connection, and returns how
     * long that took in ms; fails the test if the connection is still open after {@code limit}.
     */
    long awaitClosedByServer(Duration limit) throws IOException {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        byte[] sink = new byte[8192];
        try {
            while (true) {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                socket.setSoTimeout((int) left);
                if (in.read(sink) < 0) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server left the connection open for " + limit.toMillis() + " ms");
        } catch (SocketException e) {
            if (!String.valueOf(e.getMessage()).contains("reset")) {
                throw e;
            }
            // A reset is a close too: the server closed with some of our bytes still unread.
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
