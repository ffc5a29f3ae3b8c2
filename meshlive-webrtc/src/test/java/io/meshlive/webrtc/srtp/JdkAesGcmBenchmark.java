package io.meshlive.webrtc.srtp;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The floor under SrtpProtectBenchmark's AEAD_AES_128_GCM figure, run beside it so both see the
 * same machine: the JDK's AES/GCM alone on a heap array, as {@link AesGcmTransform} drives it (an
 * init with a new GCMParameterSpec per packet, the header as AAD, the payload sealed in place),
 * without SrtpContext's header parsing, index window and direct-buffer copies. It is also what a
 * GCM of our own would have to beat: one built from AES/ECB and a 4-bit-table GHASH in Java was
 * ~10x slower on 1,200-byte packets than this (the JDK's GHASH runs on CLMUL).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JdkAesGcmBenchmark {
    private static final int RTP_HEADER = 12;
    private static final int TAG = 16;

    @Param({"1200", "100"})
    public int size;

    private Cipher gcm;
    private SecretKeySpec key;
    private byte[] plain;
    private byte[] packet;
    private final byte[] iv = new byte[12];
    private long index;

    @Setup
    public void setUp() throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] keyBytes = new byte[16];
        random.nextBytes(keyBytes);
        random.nextBytes(iv);
        key = new SecretKeySpec(keyBytes, "AES");
        gcm = Cipher.getInstance("AES/GCM/NoPadding");
        plain = new byte[size];
        random.nextBytes(plain);
        packet = new byte[size + TAG];
    }

    @Benchmark
    public byte[] sealInPlace() throws Exception {
        System.arraycopy(plain, 0, packet, 0, size);
        index++;
        iv[11] = (byte) index;
        iv[10] = (byte) (index >>> 8);
        iv[9] = (byte) (index >>> 16);
        gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, iv));
        gcm.updateAAD(packet, 0, RTP_HEADER);
        gcm.doFinal(packet, RTP_HEADER, size - RTP_HEADER, packet, RTP_HEADER);
        return packet;
    }
}
