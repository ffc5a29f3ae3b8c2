package io.meshlive.webrtc.sctp;

import io.netty.buffer.ByteBufUtil;

import static io.meshlive.testkit.Hex.hex;

/**
 * SCTP packets Chromium 156 (dcsctp) sent meshlive in WebRtcCueTest, logged as the decrypted
 * DTLS application data: a page that created a "cues" data channel before its WHEP offer.
 */
public final class ChromiumPackets {
    /**
     * INIT: initiate tag 0x07a82656, a_rwnd 5 MiB, 65535 streams each way, initial TSN 0x088e6727;
     * Forward-TSN-Supported, and Supported Extensions RE-CONFIG (0x82) and FORWARD-TSN (0xc0).
     */
    public static final byte[] INIT = hex("""
            13881388 00000000 996e88d7
            0100001e 07a82656 00500000 ffffffff 088e6727 c0000004 80080006 82c00000""");
    /** Verification tag of the packets after the handshake: our initiate tag in that run. */
    public static final long LOCAL_TAG = 0x752320b9L;
    /** DATA (B, E), TSN 0x088e6727, stream 0, SSN 0, PPID 50: DATA_CHANNEL_OPEN, reliable, priority 256, label "cues". */
    public static final byte[] DCEP_OPEN = hex("""
            13881388 752320b9 0a613058
            00030020 088e6727 00000000 00000032 03000100 00000000 00040000 63756573""");
    /** The DCEP message inside {@link #DCEP_OPEN}. */
    public static final byte[] DCEP_OPEN_MESSAGE = hex("03000100 00000000 00040000 63756573");
    /** SACK: cumulative TSN ack 0x2a05dace, a_rwnd 0x480000, no gaps or duplicates. */
    public static final byte[] SACK = hex("""
            13881388 752320b9 629f07db
            03000010 2a05dace 00480000 00000000""");
    /** SACK with three duplicate TSNs (our early retransmissions): 0x2a05dacf, 0x2a05dad0, 0x2a05dad1. */
    public static final byte[] SACK_WITH_DUPLICATES = hex("""
            13881388 752320b9 6f036f9f
            0300001c 2a05dad1 00480000 00000003 2a05dacf 2a05dad0 2a05dad1""");

    private ChromiumPackets() {
    }
}
