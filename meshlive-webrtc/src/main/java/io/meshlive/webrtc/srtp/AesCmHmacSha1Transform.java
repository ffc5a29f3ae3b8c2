package io.meshlive.webrtc.srtp;

/**
 * AES128_CM_HMAC_SHA1_80 (RFC 3711): AES-CM encryption, then an HMAC-SHA1 tag over the packet,
 * truncated to 80 bits. SRTP authenticates the ROC after the packet; SRTCP authenticates the
 * index word, which it places before the tag.
 */
final class AesCmHmacSha1Transform implements SrtpTransform {
    private static final int TAG = 10;
    private static final int IV_SSRC_AT = 4;

    private final AesCounterMode aes;
    private final byte[] salt;
    private final HmacSha1 hmac;
    private final byte[] iv = new byte[AesCounterMode.BLOCK];
    private final byte[] roc = new byte[4];
    private final byte[] digest = new byte[HmacSha1.LENGTH];

    AesCmHmacSha1Transform(SessionKeys keys) {
        this.aes = new AesCounterMode(keys.encryptionKey());
        this.salt = keys.salt();
        this.hmac = new HmacSha1(keys.authenticationKey());
    }

    @Override
    public void protectRtp(byte[] packet, int offset, int headerLength, int length, int ssrc, long index) {
        crypt(packet, offset + headerLength, length - headerLength, ssrc, index);
        digestRtp(packet, offset, length, index);
        System.arraycopy(digest, 0, packet, offset + length, TAG);
    }

    @Override
    public boolean unprotectRtp(byte[] packet, int offset, int headerLength, int length, int ssrc, long index) {
        int authenticated = length - TAG;
        digestRtp(packet, offset, authenticated, index);
        if (!digestMatches(packet, offset + authenticated)) {
            return false;
        }
        crypt(packet, offset + headerLength, authenticated - headerLength, ssrc, index);
        return true;
    }

    @Override
    public void protectRtcp(byte[] packet, int offset, int length, int ssrc, int indexWord) {
        crypt(packet, offset + RTCP_CLEAR_LENGTH, length - RTCP_CLEAR_LENGTH, ssrc, indexWord & 0x7FFFFFFF);
        SrtpTransform.putInt(packet, offset + length, indexWord);
        hmac.update(packet, offset, length + SrtpProfile.SRTCP_INDEX_LENGTH);
        finishDigest();
        System.arraycopy(digest, 0, packet, offset + length + SrtpProfile.SRTCP_INDEX_LENGTH, TAG);
    }

    @Override
    public boolean unprotectRtcp(byte[] packet, int offset, int length, int ssrc, int indexWord) {
        hmac.update(packet, offset, length + SrtpProfile.SRTCP_INDEX_LENGTH);
        finishDigest();
        if (!digestMatches(packet, offset + length + SrtpProfile.SRTCP_INDEX_LENGTH)) {
            return false;
        }
        if (indexWord < 0) { // E flag: the sender encrypted it
            crypt(packet, offset + RTCP_CLEAR_LENGTH, length - RTCP_CLEAR_LENGTH, ssrc, indexWord & 0x7FFFFFFF);
        }
        return true;
    }

    @Override
    public int srtcpIndexFromEnd() {
        return SrtpProfile.SRTCP_INDEX_LENGTH + TAG;
    }

    private void crypt(byte[] packet, int from, int length, int ssrc, long index) {
        SrtpTransform.fillIv(iv, salt, IV_SSRC_AT, ssrc, index);
        aes.apply(iv, packet, from, length);
    }

    /** RFC 3711 §4.2: the tag covers the packet followed by the ROC, which is not sent. */
    private void digestRtp(byte[] packet, int offset, int length, long index) {
        hmac.update(packet, offset, length);
        SrtpTransform.putInt(roc, 0, (int) (index >>> 16));
        hmac.update(roc, 0, roc.length);
        finishDigest();
    }

    private void finishDigest() {
        hmac.doFinal(digest, 0);
    }

    /** Constant time, so a forger learns nothing from how long a rejection took. */
    private boolean digestMatches(byte[] packet, int tagAt) {
        int difference = 0;
        for (int i = 0; i < TAG; i++) {
            difference |= digest[i] ^ packet[tagAt + i];
        }
        return difference == 0;
    }
}
