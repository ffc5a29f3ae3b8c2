package io.meshlive.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Server side of the RTMP handshake, simple and complex. It answers C0+C1 with S0+S1+S2 in one
 * write, waits for C2, then removes itself; bytes after C2 flow on to the chunk decoder.
 * A peer that does not finish within the timeout is closed.
 */
public final class RtmpServerHandshake extends ByteToMessageDecoder {
    private static final int VERSION = 3;
    /** Version field of S1 in the complex handshake; nonzero tells the client to validate digests. */
    private static final int SERVER_VERSION = 0x0D0E0A0D;

    private final long timeoutMillis;
    private boolean sentResponse;
    private ScheduledFuture<?> timeout;

    public RtmpServerHandshake(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> ctx.fireExceptionCaught(
                new RtmpProtocolException("handshake did not finish within " + timeoutMillis + " ms")),
                timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!sentResponse) {
            if (in.isReadable() && in.getUnsignedByte(in.readerIndex()) != VERSION) {
                int version = in.getUnsignedByte(in.readerIndex());
                in.skipBytes(in.readableBytes()); // refuse once, not again for every byte that follows
                throw badVersion(version);
            }
            if (in.readableBytes() < 1 + HandshakeDigest.PACKET) {
                return;
            }
            in.skipBytes(1);
            byte[] c1 = new byte[HandshakeDigest.PACKET];
            in.readBytes(c1);
            ByteBuf response = ctx.alloc().buffer(1 + 2 * HandshakeDigest.PACKET);
            response.writeByte(VERSION);
            respond(c1, response);
            ctx.writeAndFlush(response);
            sentResponse = true;
        }
        if (in.readableBytes() < HandshakeDigest.PACKET) {
            return;
        }
        in.skipBytes(HandshakeDigest.PACKET); // C2: clients differ in what they echo; nothing to check.
        timeout.cancel(false);
        ctx.pipeline().remove(this);
    }

    private static RtmpProtocolException badVersion(int version) {
        return new RtmpProtocolException("not an RTMP client: handshake version byte " + version + ", expected 3");
    }

    /** Writes S1 and S2 for the given C1. */
    static void respond(byte[] c1, ByteBuf out) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] s1 = new byte[HandshakeDigest.PACKET];
        random.nextBytes(s1);
        int scheme = HandshakeDigest.findClientScheme(c1);
        int time = (int) (System.currentTimeMillis() / 1000);
        putInt(s1, 0, time);
        if (scheme < 0) {
            putInt(s1, 4, 0);
            out.writeBytes(s1);
            out.writeBytes(c1); // simple handshake: S2 echoes C1
            return;
        }
        putInt(s1, 4, SERVER_VERSION);
        int s1Offset = HandshakeDigest.digestOffset(s1, scheme);
        byte[] s1Digest = HandshakeDigest.packetDigest(s1, s1Offset, HandshakeDigest.SERVER_KEY, HandshakeDigest.SERVER_KEY_TEXT);
        System.arraycopy(s1Digest, 0, s1, s1Offset, HandshakeDigest.DIGEST);
        out.writeBytes(s1);

        int c1Offset = HandshakeDigest.digestOffset(c1, scheme);
        byte[] key = HandshakeDigest.hmac(HandshakeDigest.SERVER_KEY, HandshakeDigest.SERVER_KEY.length,
                c1, c1Offset, HandshakeDigest.DIGEST);
        byte[] s2 = new byte[HandshakeDigest.PACKET];
        random.nextBytes(s2);
        int signed = HandshakeDigest.PACKET - HandshakeDigest.DIGEST;
        byte[] s2Digest = HandshakeDigest.hmac(key, key.length, s2, 0, signed);
        System.arraycopy(s2Digest, 0, s2, signed, HandshakeDigest.DIGEST);
        out.writeBytes(s2);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
