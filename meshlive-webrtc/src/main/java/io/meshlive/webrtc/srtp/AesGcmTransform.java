package io.meshlive.webrtc.srtp;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;

/**
 * AEAD_AES_128_GCM (RFC 7714): the header is associated data, the payload is encrypted, and the
 * 16-byte tag follows it. For SRTCP the associated data is the first 8 bytes and the index word,
 * which goes after the tag (§9).
 *
 * <p>Each packet needs its own IV, hence a cipher init per packet with a new
 * {@link GCMParameterSpec}. The JDK refuses to encrypt twice in a row under the same IV; that
 * would mean protecting one packet index twice, which breaks GCM, so it surfaces as an
 * {@link IllegalStateException}.
 */
final class AesGcmTransform implements SrtpTransform {
    private static final int TAG = 16;
    private static final int IV_LENGTH = 12;
    private static final int IV_SSRC_AT = 2;

    private final Cipher gcm = JdkCrypto.aesGcm();
    private final SecretKeySpec key;
    private final byte[] salt;
    private final byte[] iv = new byte[IV_LENGTH];
    private final byte[] indexWordBytes = new byte[SrtpProfile.SRTCP_INDEX_LENGTH];

    AesGcmTransform(SessionKeys keys) {
        this.key = JdkCrypto.aesKey(keys.encryptionKey());
        this.salt = keys.salt();
    }

    @Override
    public void protectRtp(byte[] packet, int offset, int headerLength, int length, int ssrc, long index) {
        init(Cipher.ENCRYPT_MODE, ssrc, index);
        gcm.updateAAD(packet, offset, headerLength);
        seal(packet, offset + headerLength, length - headerLength);
    }

    @Override
    public boolean unprotectRtp(byte[] packet, int offset, int headerLength, int length, int ssrc, long index) {
        init(Cipher.DECRYPT_MODE, ssrc, index);
        gcm.updateAAD(packet, offset, headerLength);
        return open(packet, offset + headerLength, length - headerLength - TAG);
    }

    @Override
    public void protectRtcp(byte[] packet, int offset, int length, int ssrc, int indexWord) {
        init(Cipher.ENCRYPT_MODE, ssrc, indexWord & 0x7FFFFFFF);
        gcm.updateAAD(packet, offset, RTCP_CLEAR_LENGTH);
        SrtpTransform.putInt(indexWordBytes, 0, indexWord);
        gcm.updateAAD(indexWordBytes);
        seal(packet, offset + RTCP_CLEAR_LENGTH, length - RTCP_CLEAR_LENGTH);
        System.arraycopy(indexWordBytes, 0, packet, offset + length + TAG, indexWordBytes.length);
    }

    @Override
    public boolean unprotectRtcp(byte[] packet, int offset, int length, int ssrc, int indexWord) {
        init(Cipher.DECRYPT_MODE, ssrc, indexWord & 0x7FFFFFFF);
        // Unencrypted (E clear, RFC 7714 §9.2): the whole packet is associated data, nothing is plaintext.
        int clear = indexWord < 0 ? RTCP_CLEAR_LENGTH : length;
        gcm.updateAAD(packet, offset, clear);
        gcm.updateAAD(packet, offset + length + TAG, SrtpProfile.SRTCP_INDEX_LENGTH);
        return open(packet, offset + clear, length - clear);
    }

    @Override
    public int srtcpIndexFromEnd() {
        return SrtpProfile.SRTCP_INDEX_LENGTH;
    }

    private void init(int mode, int ssrc, long index) {
        SrtpTransform.fillIv(iv, salt, IV_SSRC_AT, ssrc, index);
        try {
            gcm.init(mode, key, new GCMParameterSpec(TAG * 8, iv));
        } catch (InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("GCM IV reused: packet index " + index + " of SSRC "
                    + Integer.toUnsignedString(ssrc) + " protected twice", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e); // a 16-byte AES key is always valid
        }
    }

    /** Encrypts [from, from + length) in place and writes the tag after it. */
    private void seal(byte[] packet, int from, int length) {
        try {
            gcm.doFinal(packet, from, length, packet, from);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e); // the caller made room for the tag
        }
    }

    /** Verifies the tag that follows [from, from + length) and decrypts in place; the JDK writes nothing unless it verifies. */
    private boolean open(byte[] packet, int from, int length) {
        try {
            gcm.doFinal(packet, from, length + TAG, packet, from);
            return true;
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
