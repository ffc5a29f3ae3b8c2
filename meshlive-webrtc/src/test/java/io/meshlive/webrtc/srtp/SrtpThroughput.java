package io.meshlive.webrtc.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * Packets per second for 1200-byte RTP packets (12-byte header, 1188-byte payload), both profiles,
 * heap and pooled direct buffers: protect alone, and protect followed by unprotect. Each packet
 * is first rewritten from a plain template (a 1200-byte copy, counted in the figures). A main,
 * not a test: {@code java -cp <test classpath> io.meshlive.webrtc.srtp.SrtpThroughput [seconds]}.
 */
public final class SrtpThroughput {
    private static final int PACKET = 1200;

    private SrtpThroughput() {
    }

    public static void main(String[] args) throws SrtpException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        for (SrtpProfile profile : SrtpProfile.values()) {
            for (boolean direct : new boolean[] {false, true}) {
                measure(profile, direct, false, seconds / 2); // warm-up
                measure(profile, direct, true, seconds / 2);
                System.out.printf("%-24s %-6s protect %,10.0f packets/s   protect+unprotect %,10.0f packets/s%n",
                        profile, direct ? "direct" : "heap",
                        measure(profile, direct, false, seconds), measure(profile, direct, true, seconds));
            }
        }
    }

    private static double measure(SrtpProfile profile, boolean direct, boolean unprotect, double seconds) throws SrtpException {
        byte[] key = new byte[profile.keyLength()];
        byte[] salt = new byte[profile.saltLength()];
        SrtpContext sender = new SrtpContext(profile, key, salt);
        SrtpContext receiver = new SrtpContext(profile, key, salt);
        byte[] template = new byte[PACKET];
        template[0] = (byte) 0x80;
        template[1] = 96;
        ByteBuf packet = direct
                ? PooledByteBufAllocator.DEFAULT.directBuffer(PACKET + 64)
                : Unpooled.buffer(PACKET + 64);
        try {
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            long start = System.nanoTime();
            int count = 0;
            while ((count & 1023) != 0 || System.nanoTime() < deadline) {
                template[2] = (byte) (count >>> 8);
                template[3] = (byte) count;
                packet.clear().writeBytes(template);
                sender.protectRtp(packet);
                if (unprotect) {
                    receiver.unprotectRtp(packet);
                }
                count++;
            }
            return count / ((System.nanoTime() - start) / 1e9);
        } finally {
            packet.release();
        }
    }
}
