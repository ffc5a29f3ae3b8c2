package io.meshlive.webrtc.sctp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The browser's side of an association under test, by hand: it plays Chromium's captured INIT,
 * echoes our cookie, and writes DATA, SACK and other chunks; it keeps every packet the
 * association sent (as bytes) and runs each step on the association's own loop.
 */
public final class SctpPeer implements AutoCloseable {
    public static final byte[] SECRET = "a test secret of thirty-two byte".getBytes();
    public final DefaultEventLoop loop = new DefaultEventLoop();
    public final List<byte[]> sent = new CopyOnWriteArrayList<>();
    /** Our (the association's) verification tag, learnt from its INIT-ACK. */
    public long localTag;
    public long localInitialTsn;
    /** The peer's next TSN: Chromium's initial TSN. */
    public long nextTsn;

    public void out(ByteBuf packet) {
        sent.add(ByteBufUtil.getBytes(packet));
        packet.release();
    }

    /** INIT, INIT-ACK, COOKIE-ECHO, COOKIE-ACK with {@code receive} (the association's). */
    public void handshake(PacketSink receive) throws Exception {
        on(() -> receive.accept(Unpooled.wrappedBuffer(ChromiumPackets.INIT)));
        SctpPacket initAck = SctpPacket.parse(Unpooled.wrappedBuffer(last()));
        InitChunk ack = InitChunk.parse(initAck.chunks().get(0));
        localTag = ack.initiateTag();
        localInitialTsn = ack.initialTsn();
        nextTsn = 0x088e6727L;
        ByteBuf cookie = Unpooled.copiedBuffer(ack.cookie());
        on(() -> receive.accept(packet(Chunk.COOKIE_ECHO, 0, cookie)));
    }

    public interface PacketSink {
        void accept(ByteBuf packet);
    }

    /** A packet to the association (its tag) with one chunk. */
    public ByteBuf packet(int type, int flags, ByteBuf value) {
        return packet(localTag, type, flags, value);
    }

    public static ByteBuf packet(long tag, int type, int flags, ByteBuf value) {
        ByteBuf p = SctpPacket.begin(ByteBufAllocator.DEFAULT, 2048, 5000, 5000, tag);
        Chunk.write(p, type, flags, value, value.readerIndex(), value.readableBytes());
        byte[] bytes = ByteBufUtil.getBytes(SctpPacket.finish(p));
        p.release();
        return Unpooled.wrappedBuffer(bytes);
    }

    /**
     * {@code length} bytes of {@code data} as a packet to the association: when long enough for a
     * common header, with its verification tag and a good checksum. Pooled, for the leak check.
     */
    public ByteBuf retagged(byte[] data, int offset, int length) {
        ByteBuf p = ByteBufAllocator.DEFAULT.buffer(Math.max(length, 1));
        p.writeBytes(data, offset, length);
        if (length >= SctpPacket.HEADER_LENGTH) {
            p.setInt(4, (int) localTag);
            SctpPacket.finish(p);
        }
        return p;
    }

    /** A DATA chunk's packet at TSN {@code tsn}. */
    public ByteBuf data(long tsn, int flags, int stream, int ssn, long ppid, byte[] payload) {
        ByteBuf p = SctpPacket.begin(ByteBufAllocator.DEFAULT, 2048, 5000, 5000, localTag);
        DataChunk.write(p, flags, tsn, stream, ssn, ppid, Unpooled.wrappedBuffer(payload), 0, payload.length);
        byte[] bytes = ByteBufUtil.getBytes(SctpPacket.finish(p));
        p.release();
        return Unpooled.wrappedBuffer(bytes);
    }

    /** A whole message as the next DATA chunk. */
    public ByteBuf message(int stream, long ppid, byte[] payload) {
        return data(nextTsn++, DataChunk.FLAG_BEGIN | DataChunk.FLAG_END, stream, 0, ppid, payload);
    }

    public ByteBuf sack(long cumulative, int[] gapStarts, int[] gapEnds) {
        ByteBuf p = SctpPacket.begin(ByteBufAllocator.DEFAULT, 2048, 5000, 5000, localTag);
        SackChunk.write(p, cumulative, 1 << 20, gapStarts, gapEnds, gapStarts.length);
        byte[] bytes = ByteBufUtil.getBytes(SctpPacket.finish(p));
        p.release();
        return Unpooled.wrappedBuffer(bytes);
    }

    public byte[] last() {
        return sent.get(sent.size() - 1);
    }

    /** The first chunk of a sent packet. */
    public static Chunk chunkOf(byte[] packet) throws SctpException {
        return SctpPacket.parse(Unpooled.wrappedBuffer(packet)).chunks().get(0);
    }

    public static List<Chunk> chunksOf(byte[] packet) throws SctpException {
        return SctpPacket.parse(Unpooled.wrappedBuffer(packet)).chunks();
    }

    public interface Step {
        void run() throws Exception;
    }

    public void on(Step step) throws Exception {
        call(() -> {
            step.run();
            return null;
        });
    }

    public <T> T call(Callable<T> c) throws Exception {
        try {
            return loop.submit(c).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        } catch (TimeoutException e) {
            throw new AssertionError("the loop did not run the step", e);
        }
    }

    @Override
    public void close() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
