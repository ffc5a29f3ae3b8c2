package io.meshlive.hls.ts;

import io.netty.buffer.ByteBuf;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads transport packets back for the tests, checking the framing rules on the way. */
final class TsPackets {
    private TsPackets() {
    }

    /**
     * Asserts every packet is 188 bytes with sync byte 0x47 and each PID's continuity counter
     * goes up by one per packet with payload; returns the packet count.
     */
    static int checkFraming(ByteBuf ts) {
        assertThat(ts.readableBytes() % 188).as("stream length is a multiple of 188").isZero();
        Map<Integer, Integer> lastCounter = new HashMap<>();
        int count = 0;
        for (int at = ts.readerIndex(); at < ts.writerIndex(); at += 188, count++) {
            assertThat((int) ts.getUnsignedByte(at)).as("sync byte of packet %d", count).isEqualTo(0x47);
            int pid = ts.getUnsignedShort(at + 1) & 0x1FFF;
            int control = ts.getUnsignedByte(at + 3);
            if ((control & 0x10) == 0) {
                continue;
            }
            int counter = control & 0x0F;
            Integer last = lastCounter.put(pid, counter);
            if (last != null) {
                assertThat(counter).as("continuity counter of PID %x in packet %d", pid, count)
                        .isEqualTo((last + 1) & 0x0F);
            }
        }
        return count;
    }

    /** The payload bytes of the packets of {@code pid}, concatenated. */
    static byte[] payload(ByteBuf ts, int pid) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int at = ts.readerIndex(); at < ts.writerIndex(); at += 188) {
            if ((ts.getUnsignedShort(at + 1) & 0x1FFF) != pid) {
                continue;
            }
            int start = payloadStart(ts, at);
            byte[] part = new byte[at + 188 - start];
            ts.getBytes(start, part);
            bytes.writeBytes(part);
        }
        return bytes.toByteArray();
    }

    /** Where the payload of the packet at {@code at} begins, after any adaptation field. */
    static int payloadStart(ByteBuf ts, int at) {
        boolean adaptation = (ts.getUnsignedByte(at + 3) & 0x20) != 0;
        return adaptation ? at + 5 + ts.getUnsignedByte(at + 4) : at + 4;
    }
}
