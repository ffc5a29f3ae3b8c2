package io.meshlive.hls.ts;

import io.netty.buffer.ByteBuf;

/**
 * Cuts one PES packet, written to it piece by piece, into 188-byte transport packets of one PID
 * (ISO/IEC 13818-1 2.4.3), keeping that PID's continuity counter across PES packets.
 *
 * <p>The caller states the PES length up front so the last packet can be filled out with
 * adaptation-field stuffing: stuffing with 0xFF payload bytes would corrupt the PES, because for
 * video PES_packet_length is 0 and the payload runs to the next payload_unit_start.
 */
final class TsPacketizer {
    static final int PACKET_SIZE = 188;
    static final int SYNC_BYTE = 0x47;
    /** 0xFF bytes, enough to fill any packet: stuffing in adaptation fields and after PSI sections. */
    static final byte[] STUFFING = stuffing();
    private static final int HEADER_SIZE = 4;
    private static final int PAYLOAD_UNIT_START = 0x40;
    private static final int ADAPTATION_AND_PAYLOAD = 0x30;
    private static final int PAYLOAD_ONLY = 0x10;
    private static final int FLAG_RANDOM_ACCESS = 0x40;
    private static final int FLAG_PCR = 0x10;
    private static final int PCR_SIZE = 6;
    /** adaptation_field_length and the flags byte. */
    private static final int FLAGGED_FIELD_SIZE = 2;

    private final int pid;
    private int continuity;

    private ByteBuf out;
    private int pesRemaining;
    private int packetRoom;
    private boolean firstPacket;
    private boolean randomAccess;
    private long pcr;

    TsPacketizer(int pid) {
        this.pid = pid;
    }

    /**
     * Starts a PES of {@code pesLength} bytes (header included) into {@code out}. {@code pcr27MHz}
     * is a program clock reference for the first packet, or -1 for none.
     */
    void begin(ByteBuf out, int pesLength, boolean randomAccess, long pcr27MHz) {
        if (this.out != null) {
            throw new IllegalStateException("PES on PID " + pid + " still has " + pesRemaining + " bytes to come");
        }
        this.out = out;
        this.pesRemaining = pesLength;
        this.packetRoom = 0;
        this.firstPacket = true;
        this.randomAccess = randomAccess;
        this.pcr = pcr27MHz;
    }

    void writeByte(int value) {
        ensureRoom(1);
        out.writeByte(value);
        consumed(1);
    }

    void writeBytes(byte[] bytes) {
        int done = 0;
        while (done < bytes.length) {
            int n = ensureRoom(bytes.length - done);
            out.writeBytes(bytes, done, n);
            consumed(n);
            done += n;
        }
    }

    void writeBytes(ByteBuf src, int index, int length) {
        int done = 0;
        while (done < length) {
            int n = ensureRoom(length - done);
            out.writeBytes(src, index + done, n);
            consumed(n);
            done += n;
        }
    }

    /** Ends the PES; throws if fewer bytes came than {@link #begin} announced. */
    void end() {
        if (pesRemaining != 0) {
            throw new IllegalStateException("PES on PID " + pid + " ended " + pesRemaining + " bytes short");
        }
        out = null;
    }

    /** How many of {@code wanted} bytes fit in the current packet, starting a new one if it is full. */
    private int ensureRoom(int wanted) {
        if (wanted > pesRemaining) {
            throw new IllegalStateException("PES on PID " + pid + " overruns its announced length");
        }
        if (packetRoom == 0) {
            startPacket();
        }
        return Math.min(wanted, packetRoom);
    }

    private void consumed(int n) {
        packetRoom -= n;
        pesRemaining -= n;
    }

    private void startPacket() {
        boolean withPcr = firstPacket && pcr >= 0;
        boolean withFlags = withPcr || firstPacket && randomAccess;
        int fieldSize = withFlags ? FLAGGED_FIELD_SIZE + (withPcr ? PCR_SIZE : 0) : 0;
        int payload = Math.min(PACKET_SIZE - HEADER_SIZE - fieldSize, pesRemaining);
        // Whatever the payload leaves empty becomes adaptation field: one stuffing byte is a bare
        // adaptation_field_length of 0, more need the flags byte and then 0xFF bytes.
        fieldSize = PACKET_SIZE - HEADER_SIZE - payload;

        out.writeByte(SYNC_BYTE);
        out.writeShort((firstPacket ? PAYLOAD_UNIT_START << 8 : 0) | pid);
        out.writeByte((fieldSize > 0 ? ADAPTATION_AND_PAYLOAD : PAYLOAD_ONLY) | continuity);
        continuity = (continuity + 1) & 0x0F;
        if (fieldSize > 0) {
            out.writeByte(fieldSize - 1);
            if (fieldSize > 1) {
                out.writeByte((withPcr ? FLAG_PCR : 0) | (firstPacket && randomAccess ? FLAG_RANDOM_ACCESS : 0));
                int stuffing = fieldSize - FLAGGED_FIELD_SIZE;
                if (withPcr) {
                    writePcr(pcr);
                    stuffing -= PCR_SIZE;
                }
                out.writeBytes(STUFFING, 0, stuffing);
            }
        }
        firstPacket = false;
        packetRoom = payload;
    }

    private static byte[] stuffing() {
        byte[] bytes = new byte[PACKET_SIZE];
        java.util.Arrays.fill(bytes, (byte) 0xFF);
        return bytes;
    }

    /** program_clock_reference: a 33-bit 90 kHz base, 6 reserved bits, a 9-bit 27 MHz extension. */
    private void writePcr(long pcr27MHz) {
        long base = pcr27MHz / 300 & 0x1FFFFFFFFL;
        int extension = (int) (pcr27MHz % 300);
        out.writeInt((int) (base >>> 1));
        out.writeByte((int) (base & 1) << 7 | 0x7E | extension >> 8);
        out.writeByte(extension);
    }
}
