package io.meshlive.webrtc.srtp;

/**
 * The SRTP protection profiles meshlive negotiates in DTLS-SRTP (RFC 5764 §4.1.2, RFC 7714 §14.2),
 * with the lengths, in bytes, of their master key, master salt and RTP authentication tag.
 */
public enum SrtpProfile {
    /** AES-128 in counter mode, HMAC-SHA1 tag truncated to 80 bits (RFC 3711); every browser has it. */
    AES128_CM_HMAC_SHA1_80(0x0001, 16, 14, 10),
    /** AES-128-GCM (RFC 7714): one pass for encryption and authentication, a 16-byte tag. */
    AEAD_AES_128_GCM(0x0007, 16, 12, 16);

    /** The SRTCP index word: the E flag and the 31-bit index. */
    static final int SRTCP_INDEX_LENGTH = 4;

    private final int id;
    private final int keyLength;
    private final int saltLength;
    private final int rtpAuthTagLength;

    SrtpProfile(int id, int keyLength, int saltLength, int rtpAuthTagLength) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.rtpAuthTagLength = rtpAuthTagLength;
    }

    /** The profile's number in the DTLS use_srtp extension. */
    public int id() {
        return id;
    }

    public int keyLength() {
        return keyLength;
    }

    /** What DTLS exports for this profile (RFC 5764 §4.2): a key and a salt for each direction. */
    public int keyingMaterialLength() {
        return 2 * (keyLength + saltLength);
    }

    public int saltLength() {
        return saltLength;
    }

    /** What {@link SrtpContext#protectRtp} appends to an RTP packet. */
    public int rtpAuthTagLength() {
        return rtpAuthTagLength;
    }

    /**
     * What {@link SrtpContext#protectRtcp} appends to an RTCP packet: the SRTCP index word and
     * the tag, which is as long as the RTP tag in both profiles (RFC 5764 §4.1.2, RFC 7714 §12).
     */
    public int rtcpTrailerLength() {
        return SRTCP_INDEX_LENGTH + rtpAuthTagLength;
    }

    /** Throws unless {@code key} and {@code salt} have this profile's master key and salt lengths. */
    void checkMasterKey(String whose, byte[] key, byte[] salt) {
        if (key.length != keyLength || salt.length != saltLength) {
            throw new IllegalArgumentException(whose + " master key and salt for " + this + " must be " + keyLength
                    + " and " + saltLength + " bytes, got " + key.length + " and " + salt.length);
        }
    }

    /** The profile with this use_srtp number, or null if meshlive does not offer it. */
    public static SrtpProfile byId(int id) {
        for (SrtpProfile profile : values()) {
            if (profile.id == id) {
                return profile;
            }
        }
        return null;
    }
}
