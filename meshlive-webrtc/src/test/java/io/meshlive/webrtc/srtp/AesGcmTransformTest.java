package io.meshlive.webrtc.srtp;

import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The GCM built from AES/ECB and {@link GHash} against the JDK's own AES/GCM, byte for byte, over
 * every header and payload length a packet can have up to a few blocks and random ones up to a
 * full datagram: partial blocks in the AAD and the text, empty text, offsets into the array.
 * (The RFC 7714 vectors in SrtpContextVectorsTest pin it to the standard too.)
 */
class AesGcmTransformTest {
    private static final int TAG = 16;

    @Test
    void rtpMatchesTheJdksAesGcmAndOpensWhatItSeals() throws Exception {
        SplittableRandom random = new SplittableRandom(7714);
        SessionKeys keys = keys(random);
        AesGcmTransform sender = new AesGcmTransform(keys);
        AesGcmTransform receiver = new AesGcmTransform(keys);
        long index = 0;
        for (int header = 12; header <= 60; header += 4) {
            for (int text = 0; text <= 70; text++) {
                check(sender, receiver, keys, random, header, text, index++);
            }
        }
        for (int i = 0; i < 300; i++) {
            check(sender, receiver, keys, random, 12 + 4 * random.nextInt(20), random.nextInt(1500), index++);
        }
    }

    @Test
    void rtcpMatchesTheJdksAesGcmWithTheIndexWordAsAssociatedData() throws Exception {
        SplittableRandom random = new SplittableRandom(9);
        SessionKeys keys = keys(random);
        AesGcmTransform sender = new AesGcmTransform(keys);
        AesGcmTransform receiver = new AesGcmTransform(keys);
        for (int length = 8; length <= 200; length++) {
            int ssrc = random.nextInt();
            int indexWord = Integer.MIN_VALUE | length;
            byte[] plain = randomBytes(random, length);
            byte[] packet = Arrays.copyOf(plain, length + TAG + 4);
            sender.protectRtcp(packet, 0, length, ssrc, indexWord);

            Cipher jdk = jdkGcm(keys, ssrc, indexWord & 0x7FFFFFFF);
            jdk.updateAAD(plain, 0, 8);
            jdk.updateAAD(new byte[] {(byte) (indexWord >>> 24), (byte) (indexWord >>> 16), (byte) (indexWord >>> 8), (byte) indexWord});
            byte[] expected = jdk.doFinal(plain, 8, length - 8);
            assertThat(Arrays.copyOfRange(packet, 8, length + TAG)).as("length %d", length).isEqualTo(expected);

            assertThat(receiver.unprotectRtcp(packet, 0, length, ssrc, indexWord)).isTrue();
            assertThat(Arrays.copyOf(packet, length)).isEqualTo(plain);
        }
    }

    private static void check(AesGcmTransform sender, AesGcmTransform receiver, SessionKeys keys, SplittableRandom random,
                              int header, int text, long index) throws Exception {
        int offset = random.nextInt(5);
        int ssrc = random.nextInt();
        int length = header + text;
        byte[] plain = randomBytes(random, length);
        byte[] array = new byte[offset + length + TAG];
        System.arraycopy(plain, 0, array, offset, length);
        sender.protectRtp(array, offset, header, length, ssrc, index);

        Cipher jdk = jdkGcm(keys, ssrc, index);
        jdk.updateAAD(plain, 0, header);
        byte[] expected = jdk.doFinal(plain, header, text);
        assertThat(Arrays.copyOfRange(array, offset + header, offset + length + TAG))
                .as("header %d, text %d", header, text).isEqualTo(expected);

        byte[] tampered = array.clone();
        tampered[offset + random.nextInt(length + TAG)] ^= 1;
        assertThat(receiver.unprotectRtp(tampered, offset, header, length + TAG, ssrc, index)).isFalse();
        assertThat(receiver.unprotectRtp(array, offset, header, length + TAG, ssrc, index)).isTrue();
        assertThat(Arrays.copyOfRange(array, offset, offset + length)).isEqualTo(plain);
    }

    private static Cipher jdkGcm(SessionKeys keys, int ssrc, long index) throws Exception {
        byte[] iv = new byte[12];
        SrtpTransform.fillIv(iv, keys.salt(), 2, ssrc, index);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.encryptionKey(), "AES"), new GCMParameterSpec(TAG * 8, iv));
        return cipher;
    }

    private static SessionKeys keys(SplittableRandom random) {
        return new SessionKeys(randomBytes(random, 16), randomBytes(random, 12), null);
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
