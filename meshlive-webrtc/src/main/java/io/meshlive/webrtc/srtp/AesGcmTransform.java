package io.meshlive.webrtc.srtp;

/**
 * AEAD_AES_128_GCM (RFC 7714): the header is associated data, the payload is encrypted, and the
 * 16-byte tag follows it. For SRTCP the associated data is the first 8 bytes and the index word,
 * which goes after the tag (§9).
 *
 * <p>GCM is built here from {@link AesCounterMode} (the JDK's AES/ECB, on AES-NI) and
 * {@link GHash}, both keyed once, rather than the JDK's AES/GCM: that needs a cipher init with a
 * new GCMParameterSpec per packet, and JDK 17's init re-derives the hash subkey and rebuilds its
 * engine (~1.1 KB and several microseconds a packet, measured by SrtpProtectBenchmark). Nothing
 * is allocated per packet. Protecting the same packet index twice in a row (which would break
 * GCM) is refused with an {@link IllegalStateException}, as the JDK did.
 */
final class AesGcmTransform implements SrtpTransform {
    private static final int TAG = 16;
    private static final int IV_SSRC_AT = 2;

    private final AesCounterMode ctr;
    private final GHash ghash;
    private final byte[] salt;
    /** J0 = IV || 0x00000001; its keystream block masks the tag, the payload's starts at J0 + 1. */
    private final byte[] j0 = new byte[AesCounterMode.BLOCK];
    private final byte[] indexWordBytes = new byte[SrtpProfile.SRTCP_INDEX_LENGTH];
    private final byte[] expectedTag = new byte[TAG];
    private int lastSsrc;
    private long lastIndex = -1;

    AesGcmTransform(SessionKeys keys) {
        this.ctr = new AesCounterMode(keys.encryptionKey());
        this.ghash = new GHash(ctr.keystream(new byte[AesCounterMode.BLOCK], AesCounterMode.BLOCK).clone()); // H = AES(K, 0^128)
        this.salt = keys.salt();
    }

    @Override
    public void protectRtp(byte[] packet, int offset, int headerLength, int length, int ssrc, long index) {
        refuseReuse(ssrc, index);
        byte[] keystream = start(ssrc, index, length - headerLength);
        ghash.update(packet, offset, headerLength);
        seal(keystream, packet, offset + headerLength, length - headerLength, headerLength);
    }

    @Override
    public boolean unprotectRtp(byte[] packet, int offset, int headerLength, int length, int ssrc, long index) {
        int text = length - headerLength - TAG;
        byte[] keystream = start(ssrc, index, text);
        ghash.update(packet, offset, headerLength);
        return open(keystream, packet, offset + headerLength, text, headerLength);
    }

    @Override
    public void protectRtcp(byte[] packet, int offset, int length, int ssrc, int indexWord) {
        long index = indexWord & 0x7FFFFFFF;
        refuseReuse(ssrc, index);
        byte[] keystream = start(ssrc, index, length - RTCP_CLEAR_LENGTH);
        ghash.update(packet, offset, RTCP_CLEAR_LENGTH);
        SrtpTransform.putInt(indexWordBytes, 0, indexWord);
        ghash.update(indexWordBytes, 0, indexWordBytes.length);
        seal(keystream, packet, offset + RTCP_CLEAR_LENGTH, length - RTCP_CLEAR_LENGTH, RTCP_CLEAR_LENGTH + indexWordBytes.length);
        System.arraycopy(indexWordBytes, 0, packet, offset + length + TAG, indexWordBytes.length);
    }

    @Override
    public boolean unprotectRtcp(byte[] packet, int offset, int length, int ssrc, int indexWord) {
        // Unencrypted (E clear, RFC 7714 §9.2): the whole packet is associated data, nothing is plaintext.
        int clear = indexWord < 0 ? RTCP_CLEAR_LENGTH : length;
        byte[] keystream = start(ssrc, indexWord & 0x7FFFFFFF, length - clear);
        ghash.update(packet, offset, clear);
        ghash.update(packet, offset + length + TAG, SrtpProfile.SRTCP_INDEX_LENGTH);
        return open(keystream, packet, offset + clear, length - clear, clear + SrtpProfile.SRTCP_INDEX_LENGTH);
    }

    @Override
    public int srtcpIndexFromEnd() {
        return SrtpProfile.SRTCP_INDEX_LENGTH;
    }

    private void refuseReuse(int ssrc, long index) {
        if (index == lastIndex && ssrc == lastSsrc) {
            throw new IllegalStateException("GCM IV reused: packet index " + index + " of SSRC "
                    + Integer.toUnsignedString(ssrc) + " protected twice");
        }
        lastIndex = index;
        lastSsrc = ssrc;
    }

    /** Sets J0 for the packet, resets GHASH, and returns the keystream: the tag mask, then {@code textLength} bytes. */
    private byte[] start(int ssrc, long index, int textLength) {
        SrtpTransform.fillIv(j0, salt, IV_SSRC_AT, ssrc, index); // 12-byte IV, zeros after it
        j0[AesCounterMode.BLOCK - 1] = 1;
        ghash.reset();
        return ctr.keystream(j0, AesCounterMode.BLOCK + textLength);
    }

    /** Encrypts [from, from + length) in place and writes the tag after it; the AAD is already hashed. */
    private void seal(byte[] keystream, byte[] packet, int from, int length, int aadLength) {
        AesCounterMode.xor(keystream, AesCounterMode.BLOCK, packet, from, length);
        ghash.pad();
        ghash.update(packet, from, length);
        ghash.finish(aadLength, length, keystream, 0, packet, from + length);
    }

    /** Verifies the tag that follows [from, from + length) and only then decrypts in place. */
    private boolean open(byte[] keystream, byte[] packet, int from, int length, int aadLength) {
        ghash.pad();
        ghash.update(packet, from, length);
        ghash.finish(aadLength, length, keystream, 0, expectedTag, 0);
        int difference = 0; // constant time, so a forger learns nothing from how long a rejection took
        for (int i = 0; i < TAG; i++) {
            difference |= expectedTag[i] ^ packet[from + length + i];
        }
        if (difference != 0) {
            return false;
        }
        AesCounterMode.xor(keystream, AesCounterMode.BLOCK, packet, from, length);
        return true;
    }
}
