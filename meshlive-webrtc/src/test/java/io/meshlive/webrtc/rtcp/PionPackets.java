package io.meshlive.webrtc.rtcp;

import io.netty.buffer.ByteBufUtil;

import static io.meshlive.testkit.Hex.hex;

/**
 * RTCP packets from the tests of pion/rtcp (MIT): captures from browsers ("realPacket" in
 * reader_test.go, Chrome's REMB) and hand-made packets that match the RFCs' layouts.
 */
final class PionPackets {
    /** A compound packet from a packet dump: RR, SDES (CNAME), BYE, PLI, then an RRR (RTPFB format 5). */
    static final byte[] REAL_COMPOUND = hex("""
            81c90007 902f9e2e bc5e9a40 00000000 000046e1 00000111 09f36432 00024a79
            81ca000c 902f9e2e 0126 7b39633030656239322d316166622d396434392d613437642d3931663634656565363966357d 00000000
            81cb0001 902f9e2e
            81ce0002 902f9e2e 902f9e2e
            85cd0002 902f9e2e 902f9e2e""");
    static final int SDES_AT = 32;
    static final int BYE_AT = 84;
    static final int PLI_AT = 92;

    /**
     * An SR with one report block. pion's length field says 7 words, which holds no block (pion
     * reads the block all the same, from the slice it is given); here it is corrected to 12.
     */
    static final byte[] SENDER_REPORT = hex("""
            81c8000c 902f9e2e da8bd1fc dddda05a aaf4edd5 00000001 00000002
            bc5e9a40 00000000 000046e1 00000111 09f36432 00024a79""");

    /** An SR without report blocks followed by an SDES (pion's issue #447). */
    static final byte[] SENDER_REPORT_AND_SDES = hex("""
            80c80006 2b7ec0c5 e020a2a9 52a53fc0 2e48a552 00000046 0000121d
            81ca0006 2b7ec0c5 01104c6349667a586f6e446f72645365 57360000""");

    /** A generic NACK: PID 0xaaaa, BLP 0x5555. */
    static final byte[] NACK = hex("81cd0003 902f9e2e 902f9e2e aaaa5555");

    /** A REMB sent by Chrome while watching a 6 Mb/s stream: 8927168 b/s for SSRC 1215622422. */
    static final byte[] CHROME_REMB = hex("8fce0005 00000001 00000000 52454d42 011a20df 4874ed16");

    /** A FIR with two entries. */
    static final byte[] FIR = hex("84ce0006 00000000 4bc4fcb4 12345678 42000000 98765432 57000000");

    /** Transport-wide feedback with its padding bit set and one byte of padding. */
    static final byte[] TRANSPORT_CC = hex("afcd0005 fa17fa17 43032fa0 00990001 3de80217 20019401");

    private PionPackets() {
    }
}
