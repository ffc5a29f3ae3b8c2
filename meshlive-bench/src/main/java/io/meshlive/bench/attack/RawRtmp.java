package io.meshlive.bench.attack;

import io.meshlive.rtmp.RtmpChunkWriter;
import io.meshlive.rtmp.RtmpMessage;
import io.meshlive.rtmp.RtmpWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** An RTMP client by hand: a plain handshake, then whatever bytes an attack wants, well-formed or not. */
final class RawRtmp implements AutoCloseable {
    static final int CHUNK = 128;
    private static final int PACKET = 1536;
    private final Socket socket;

    private RawRtmp(Socket socket) {
        this.socket = socket;
    }

    static RawRtmp connect(String host, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), 3000);
        s.setSoTimeout(10_000);
        return new RawRtmp(s);
    }

    Socket socket() {
        return socket;
    }

    RawRtmp handshake() throws IOException {
        byte[] c0c1 = new byte[1 + PACKET];
        ThreadLocalRandom.current().nextBytes(c0c1);
        c0c1[0] = 3;
        java.util.Arrays.fill(c0c1, 5, 9, (byte) 0);
        send(c0c1);
        byte[] s = new byte[1 + 2 * PACKET];
        new DataInputStream(socket.getInputStream()).readFully(s);
        send(java.util.Arrays.copyOfRange(s, 1, 1 + PACKET));
        return this;
    }

    /** Sends, and says whether the server was still taking bytes (false: it hung up while we sent). */
    boolean send(byte[] bytes) throws IOException {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return true;
        } catch (SocketException closed) {
            return false;
        }
    }

    boolean send(ByteBuf b) throws IOException {
        try {
            return send(ByteBufUtil.getBytes(b));
        } finally {
            b.release();
        }
    }

    static byte[] command(int streamId, Object... values) {
        ByteBuf b = RtmpWire.command(UnpooledByteBufAllocator.DEFAULT, streamId, CHUNK, values);
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    static Map<String, Object> connectProps(String app) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("app", app);
        p.put("type", "nonprivate");
        p.put("tcUrl", "rtmp://127.0.0.1/" + app);
        return p;
    }

    /** connect, createStream and publish (or play) at once, as encoders do. */
    boolean start(String app, String stream, boolean publish) throws IOException {
        return send(command(0, "connect", 1.0, connectProps(app)))
                && send(command(0, "createStream", 2.0, null))
                && send(publish ? command(1, "publish", 3.0, null, stream, "live") : command(1, "play", 3.0, null, stream));
    }

    /** A whole video message of {@code length} bytes, chunked: its first {@code fraction} only. */
    static byte[] videoMessage(int length, double fraction) {
        ByteBuf payload = Unpooled.buffer(length).writeByte(0x27).writeByte(1).writeZero(length - 2);
        ByteBuf out = Unpooled.buffer(RtmpChunkWriter.encodedLength(6, 0, length, CHUNK));
        try {
            RtmpChunkWriter.write(out, 6, RtmpMessage.VIDEO, 1, 0, payload, CHUNK);
            return ByteBufUtil.getBytes(out, 0, (int) (out.readableBytes() * fraction));
        } finally {
            payload.release();
            out.release();
        }
    }

    /** ms until the server closed the connection, -1 if it is still open after {@code limitMs}. */
    long awaitClosed(long limitMs) throws IOException {
        return RawHttp.awaitClosed(socket, limitMs);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
