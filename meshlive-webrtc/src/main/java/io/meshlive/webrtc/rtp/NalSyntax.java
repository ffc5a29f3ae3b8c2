package io.meshlive.webrtc.rtp;

import io.netty.buffer.ByteBuf;

/**
 * What differs between the H.264 (RFC 6184) and HEVC (RFC 7798) payload formats as far as a
 * packetiser cares: the NAL unit header, which NAL units are worth sending, and the headers of
 * aggregation (STAP-A / AP) and fragmentation (FU-A / FU) packets. A NAL unit header is handled
 * as an int of its 1 or 2 bytes.
 */
enum NalSyntax {
    H264(1, 2, 7) {
        @Override
        int type(int header) {
            return header & 0x1F;
        }

        /**
         * Access unit delimiters (9) go because the RTP timestamp and marker bit already delimit
         * access units; filler data (12) is padding for constant-bit-rate channels. 0 and 24..31
         * are not NAL units an encoder makes: sent alone they would read as STAP/MTAP/FU packets.
         * SEI (6) stays: it carries the stream's timed cues.
         */
        @Override
        boolean dropped(int type) {
            return type == 9 || type == 12 || type == 0 || type >= 24;
        }

        @Override
        int aggregate(int header, int nal) {
            // RFC 6184 5.7.1: F is the OR of the aggregated F bits, NRI their maximum.
            return ((header | nal) & 0x80) | Math.max(header & 0x60, nal & 0x60);
        }

        @Override
        void writeAggregationHeader(ByteBuf out, int header) {
            out.writeByte(header | STAP_A);
        }

        @Override
        void writeFragmentHeader(ByteBuf out, int nal, boolean start, boolean end) {
            out.writeByte((nal & 0xE0) | FU_A);
            out.writeByte(startEnd(start, end) | type(nal));
        }
    },

    HEVC(2, 3, 33) {
        @Override
        int type(int header) {
            return (header >> 9) & 0x3F;
        }

        /**
         * Access unit delimiters (35) and filler data (38) go for the same reasons as in H.264;
         * 48..63 are AP, FU, PACI and unspecified types, which a lone NAL unit must not look like.
         */
        @Override
        boolean dropped(int type) {
            return type == 35 || type == 38 || type >= 48;
        }

        @Override
        int aggregationStart() {
            return (63 << 3) | 7; // the largest LayerId and TID, so the first minimum takes
        }

        @Override
        int aggregate(int header, int nal) {
            // RFC 7798 4.4.2: F is the OR of the aggregated F bits, LayerId and TID their minimums.
            int layerId = Math.min((header >> 3) & 0x3F, (nal >> 3) & 0x3F);
            int tid = Math.min(header & 0x07, nal & 0x07);
            return ((header | nal) & 0x8000) | (layerId << 3) | tid;
        }

        @Override
        void writeAggregationHeader(ByteBuf out, int header) {
            out.writeShort(header | (AP << 9));
        }

        @Override
        void writeFragmentHeader(ByteBuf out, int nal, boolean start, boolean end) {
            out.writeShort((nal & ~(0x3F << 9)) | (FU << 9));
            out.writeByte(startEnd(start, end) | type(nal));
        }
    };

    static final int STAP_A = 24;
    static final int FU_A = 28;
    static final int AP = 48;
    static final int FU = 49;

    /** Bytes in a NAL unit header: 1 in H.264, 2 in HEVC. */
    final int headerSize;
    /** Bytes before the fragment data in a fragmentation unit. */
    final int fragmentHeaderSize;
    /** The type of a sequence parameter set. */
    final int spsType;

    NalSyntax(int headerSize, int fragmentHeaderSize, int spsType) {
        this.headerSize = headerSize;
        this.fragmentHeaderSize = fragmentHeaderSize;
        this.spsType = spsType;
    }

    /** The NAL unit header at absolute index {@code nal} of {@code buf}. */
    final int header(ByteBuf buf, int nal) {
        return headerSize == 1 ? buf.getUnsignedByte(nal) : buf.getUnsignedShort(nal);
    }

    abstract int type(int header);

    /** NAL unit types not worth sending over RTP. */
    abstract boolean dropped(int type);

    /** The aggregation packet header before any NAL unit was folded in. */
    int aggregationStart() {
        return 0;
    }

    /** Folds the header of one more aggregated NAL unit into an aggregation packet header. */
    abstract int aggregate(int header, int nal);

    abstract void writeAggregationHeader(ByteBuf out, int header);

    abstract void writeFragmentHeader(ByteBuf out, int nal, boolean start, boolean end);

    private static int startEnd(boolean start, boolean end) {
        return (start ? 0x80 : 0) | (end ? 0x40 : 0);
    }
}
