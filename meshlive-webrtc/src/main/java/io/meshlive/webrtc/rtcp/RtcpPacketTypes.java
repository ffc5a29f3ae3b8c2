package io.meshlive.webrtc.rtcp;

/** Packet types (RFC 3550 §12.1, RFC 4585 §6.1) and feedback formats shared by the parser and the writer. */
final class RtcpPacketTypes {
    static final int SR = 200;
    static final int RR = 201;
    static final int SDES = 202;
    static final int BYE = 203;
    static final int RTPFB = 205;
    static final int PSFB = 206;

    /** RTPFB formats. */
    static final int FMT_NACK = 1;
    static final int FMT_TRANSPORT_CC = 15;
    /** PSFB formats. */
    static final int FMT_PLI = 1;
    static final int FMT_FIR = 4;
    static final int FMT_APPLICATION = 15;

    /** "REMB", the identifier of an application-layer feedback packet that is a REMB. */
    static final int REMB_IDENTIFIER = 0x52454D42;

    static final int REPORT_BLOCK_LENGTH = 24;

    private RtcpPacketTypes() {
    }
}
