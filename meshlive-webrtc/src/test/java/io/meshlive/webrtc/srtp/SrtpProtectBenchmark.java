package io.meshlive.webrtc.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The send path's cost per packet: {@link SrtpContext#protectRtp} on a pooled direct buffer with
 * tag room, as OutboundTrack builds them, for a ~1,200-byte video packet and a ~100-byte audio
 * packet under both profiles. Each operation first rewrites the packet from its plaintext and
 * bumps the sequence number (a 16-bit wrap bumps the ROC, as a long stream does), so the figure
 * includes one memcpy of the packet; {@link #copyOnly} measures that part alone.
 *
 * <p>Run: {@code meshlive-bench/figures/srtp-jmh.sh} (JMH options pass through, e.g. {@code -prof gc}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SrtpProtectBenchmark {
    @Param({"AEAD_AES_128_GCM", "AES128_CM_HMAC_SHA1_80"})
    public SrtpProfile profile;

    /** Whole RTP packet, header included: a full video packet, an Opus frame. */
    @Param({"1200", "100"})
    public int size;

    private SrtpContext sender;
    private ByteBuf packet;
    private byte[] plain;
    private int seq;

    @Setup(Level.Trial)
    public void setUp() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] key = new byte[profile.keyLength()];
        byte[] salt = new byte[profile.saltLength()];
        random.nextBytes(key);
        random.nextBytes(salt);
        sender = new SrtpContext(profile, key, salt);
        plain = new byte[size];
        random.nextBytes(plain);
        plain[0] = (byte) 0x80;
        plain[1] = 96;
        packet = PooledByteBufAllocator.DEFAULT.directBuffer(size + 16);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        packet.release();
    }

    @Benchmark
    public ByteBuf protectRtp() {
        nextPacket();
        sender.protectRtp(packet);
        return packet;
    }

    @Benchmark
    public ByteBuf copyOnly() {
        nextPacket();
        return packet;
    }

    private void nextPacket() {
        plain[2] = (byte) (seq >>> 8);
        plain[3] = (byte) seq;
        seq++;
        packet.clear().writeBytes(plain);
    }
}
