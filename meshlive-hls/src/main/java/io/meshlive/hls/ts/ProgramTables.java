package io.meshlive.hls.ts;

import io.netty.buffer.ByteBuf;

/**
 * The PAT and PMT (ISO/IEC 13818-1 2.4.4) of a single-program stream, one packet each, repeated
 * at the start of every segment so each segment decodes on its own.
 */
final class ProgramTables {
    static final int PAT_PID = 0x0000;
    static final int PMT_PID = 0x1000;
    static final int PROGRAM_NUMBER = 1;
    private static final int TRANSPORT_STREAM_ID = 1;
    private static final int TABLE_PAT = 0x00;
    private static final int TABLE_PMT = 0x02;
    /** section_syntax_indicator, '0', two reserved bits: the high nibble before section_length. */
    private static final int SECTION_SYNTAX = 0xB000;
    /** Reserved bits, version_number 0, current_next_indicator 1. */
    private static final int VERSION_CURRENT = 0xC1;
    private static final int CRC_SIZE = 4;

    /** One elementary stream of the program: its stream_type, PID and ES_info descriptors. */
    record Stream(int streamType, int pid, byte[] descriptors) {
        Stream(int streamType, int pid) {
            this(streamType, pid, new byte[0]);
        }
    }

    private final Stream[] streams;
    private final byte[] programInfo;
    private final int pcrPid;
    private int patContinuity;
    private int pmtContinuity;

    ProgramTables(int pcrPid, Stream... streams) {
        this(pcrPid, new byte[0], streams);
    }

    /** @param programInfo the program_info descriptors (e.g. a metadata_pointer_descriptor) */
    ProgramTables(int pcrPid, byte[] programInfo, Stream... streams) {
        this.pcrPid = pcrPid;
        this.programInfo = programInfo.clone();
        this.streams = streams.clone();
    }

    /** Appends the PAT packet then the PMT packet. */
    void write(ByteBuf out) {
        int section = startPacket(out, PAT_PID, patContinuity);
        patContinuity = (patContinuity + 1) & 0x0F;
        out.writeByte(TABLE_PAT);
        out.writeShort(SECTION_SYNTAX | 5 + 4 + CRC_SIZE);
        out.writeShort(TRANSPORT_STREAM_ID);
        out.writeByte(VERSION_CURRENT);
        out.writeShort(0); // section_number, last_section_number
        out.writeShort(PROGRAM_NUMBER);
        out.writeShort(0xE000 | PMT_PID);
        endSection(out, section);

        section = startPacket(out, PMT_PID, pmtContinuity);
        pmtContinuity = (pmtContinuity + 1) & 0x0F;
        out.writeByte(TABLE_PMT);
        int streamBytes = 0;
        for (Stream stream : streams) {
            streamBytes += 5 + stream.descriptors().length;
        }
        out.writeShort(SECTION_SYNTAX | 9 + programInfo.length + streamBytes + CRC_SIZE);
        out.writeShort(PROGRAM_NUMBER);
        out.writeByte(VERSION_CURRENT);
        out.writeShort(0); // section_number, last_section_number
        out.writeShort(0xE000 | pcrPid);
        out.writeShort(0xF000 | programInfo.length);
        out.writeBytes(programInfo);
        for (Stream stream : streams) {
            out.writeByte(stream.streamType());
            out.writeShort(0xE000 | stream.pid());
            out.writeShort(0xF000 | stream.descriptors().length);
            out.writeBytes(stream.descriptors());
        }
        endSection(out, section);
    }

    /** Writes the packet header and pointer_field; returns where the section starts. */
    private static int startPacket(ByteBuf out, int pid, int continuity) {
        out.writeByte(TsPacketizer.SYNC_BYTE);
        out.writeShort(0x4000 | pid); // payload_unit_start: the section begins here
        out.writeByte(0x10 | continuity);
        out.writeByte(0); // pointer_field
        return out.writerIndex();
    }

    /** Appends the CRC over the section and fills the packet, as PSI allows, with 0xFF. */
    private static void endSection(ByteBuf out, int section) {
        out.writeInt(Crc32Mpeg2.compute(out, section, out.writerIndex() - section));
        int packetStart = section - 5;
        out.writeBytes(TsPacketizer.STUFFING, 0, TsPacketizer.PACKET_SIZE - (out.writerIndex() - packetStart));
    }
}
