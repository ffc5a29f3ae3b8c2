package io.meshlive.webrtc.stun;

/** Wire constants shared by {@link StunMessage} and {@link StunWriter} (RFC 8489 §5, §18.3; RFC 8445 §16.1). */
final class StunAttributes {
    static final int HEADER_LENGTH = 20;
    static final int MAGIC_COOKIE = 0x2112A442;
    static final int TRANSACTION_ID_LENGTH = 12;

    static final int XOR_MAPPED_ADDRESS = 0x0020;
    static final int USERNAME = 0x0006;
    static final int MESSAGE_INTEGRITY = 0x0008;
    static final int ERROR_CODE = 0x0009;
    static final int PRIORITY = 0x0024;
    static final int USE_CANDIDATE = 0x0025;
    static final int SOFTWARE = 0x8022;
    static final int FINGERPRINT = 0x8028;
    static final int ICE_CONTROLLED = 0x8029;
    static final int ICE_CONTROLLING = 0x802A;

    static final int FAMILY_IPV4 = 0x01;
    static final int FAMILY_IPV6 = 0x02;

    private StunAttributes() {
    }

    /** Attribute values are padded to a multiple of four bytes. */
    static int padded(int valueLength) {
        return (valueLength + 3) & ~3;
    }
}
