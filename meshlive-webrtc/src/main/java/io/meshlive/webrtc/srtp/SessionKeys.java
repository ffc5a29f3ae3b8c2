package io.meshlive.webrtc.srtp;

/**
 * The keys one direction actually encrypts and authenticates with, for RTP or for RTCP, derived
 * from the master key and salt (RFC 3711 §4.3 with a key derivation rate of 0, so once per
 * context). GCM has no authentication key: its tag comes from the encryption key.
 */
record SessionKeys(byte[] encryptionKey, byte[] salt, byte[] authenticationKey) {
    /** RFC 3711 §4.3.2: labels 0, 1, 2 key SRTP; 3, 4, 5 key SRTCP. */
    private static final int RTP_LABELS = 0;
    private static final int RTCP_LABELS = 3;
    /** HMAC-SHA1's key is as long as its output (RFC 3711 §5.2: n_a = 160). */
    private static final int HMAC_SHA1_KEY_LENGTH = 20;

    static SessionKeys forRtp(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        return derive(profile, masterKey, masterSalt, RTP_LABELS);
    }

    static SessionKeys forRtcp(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        return derive(profile, masterKey, masterSalt, RTCP_LABELS);
    }

    private static SessionKeys derive(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, int firstLabel) {
        profile.checkMasterKey("SRTP", masterKey, masterSalt);
        AesCounterMode prf = new AesCounterMode(masterKey);
        int authenticationKeyLength = profile == SrtpProfile.AES128_CM_HMAC_SHA1_80 ? HMAC_SHA1_KEY_LENGTH : 0;
        return new SessionKeys(
                derive(prf, masterSalt, firstLabel, profile.keyLength()),
                derive(prf, masterSalt, firstLabel + 2, profile.saltLength()),
                derive(prf, masterSalt, firstLabel + 1, authenticationKeyLength));
    }

    /**
     * The PRF's output for one label: AES-CM keystream from IV = (master salt XOR label at byte 7) * 2^16.
     * The key_id is the label followed by 48 bits of index DIV kdr, zero here; the 112-bit field
     * holds a 96-bit GCM master salt left-aligned (RFC 7714 §11), as libsrtp does.
     */
    private static byte[] derive(AesCounterMode prf, byte[] masterSalt, int label, int length) {
        byte[] iv = new byte[AesCounterMode.BLOCK];
        System.arraycopy(masterSalt, 0, iv, 0, masterSalt.length);
        iv[7] ^= (byte) label;
        byte[] out = new byte[length];
        prf.apply(iv, out, 0, length);
        return out;
    }
}
