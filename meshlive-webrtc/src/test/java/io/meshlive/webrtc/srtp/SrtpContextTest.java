package io.meshlive.webrtc.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SrtpContextTest {
    private static final byte[] KEY = Buffers.bytes("8c307f105f79d5d2c26b1a933ae22cd5");
    private static final byte[] SALT = Buffers.bytes("563b4c15458d97a3bd36a5a1e4e0");
    private static final int SSRC = 0x11223344;

    static Stream<Arguments> profilesAndBuffers() {
        return Stream.of(SrtpProfile.values())
                .flatMap(profile -> Stream.of(Buffers.values()).map(buffers -> Arguments.of(profile, buffers)));
    }

    @ParameterizedTest
    @MethodSource("profilesAndBuffers")
    void rtpWithCsrcsExtensionAndPaddingRoundTripsWithOnlyThePayloadEncrypted(SrtpProfile profile, Buffers buffers) throws SrtpException {
        byte[] rtp = rtp(0xB2, 4242, SSRC, // V=2, P, X, 2 CSRCs
                "0000000a0000000b" + "bede0002" + "10ff2233" + "44556600" + "0102030405060708090a" + "000003");
        int headerLength = 12 + 8 + 12;
        ByteBuf packet = buffers.packet(rtp);
        try {
            sender(profile).protectRtp(packet);

            assertThat(packet.readableBytes()).isEqualTo(rtp.length + profile.rtpAuthTagLength());
            assertThat(ByteBufUtil.getBytes(packet, packet.readerIndex(), headerLength)).isEqualTo(slice(rtp, 0, headerLength));
            assertThat(ByteBufUtil.getBytes(packet, packet.readerIndex() + headerLength, rtp.length - headerLength))
                    .isNotEqualTo(slice(rtp, headerLength, rtp.length - headerLength));

            receiver(profile).unprotectRtp(packet);
            assertThat(ByteBufUtil.getBytes(packet)).isEqualTo(rtp);
        } finally {
            packet.release();
        }
    }

    @ParameterizedTest
    @MethodSource("profilesAndBuffers")
    void rtcpRoundTripsWithTheFirstEightBytesClear(SrtpProfile profile, Buffers buffers) throws SrtpException {
        byte[] rtcp = Buffers.bytes("80c80006" + "11223344" + "e1f0e1f0e1f0e1f0" + "00000064" + "00000007" + "00000dac");
        ByteBuf packet = buffers.packet(rtcp);
        try {
            sender(profile).protectRtcp(packet);

            assertThat(packet.readableBytes()).isEqualTo(rtcp.length + profile.rtcpTrailerLength());
            assertThat(ByteBufUtil.getBytes(packet, packet.readerIndex(), 8)).isEqualTo(slice(rtcp, 0, 8));
            assertThat(ByteBufUtil.getBytes(packet, packet.readerIndex() + 8, rtcp.length - 8)).isNotEqualTo(slice(rtcp, 8, rtcp.length - 8));

            receiver(profile).unprotectRtcp(packet);
            assertThat(ByteBufUtil.getBytes(packet)).isEqualTo(rtcp);
        } finally {
            packet.release();
        }
    }

    @ParameterizedTest
    @MethodSource("profilesAndBuffers")
    void protectGrowsABufferWithNoRoomForTheTag(SrtpProfile profile, Buffers buffers) throws SrtpException {
        byte[] rtp = rtp(0x80, 1, SSRC, "cafe");
        ByteBuf packet = buffers.packet(rtp).capacity(3 + rtp.length);
        try {
            sender(profile).protectRtp(packet);
            receiver(profile).unprotectRtp(packet);
            assertThat(ByteBufUtil.getBytes(packet)).isEqualTo(rtp);
        } finally {
            packet.release();
        }
    }

    @ParameterizedTest
    @MethodSource("profilesAndBuffers")
    void aTamperedPacketIsRefusedAndTheNextGoodOneStillPasses(SrtpProfile profile, Buffers buffers) throws SrtpException {
        SrtpContext sender = sender(profile);
        SrtpContext receiver = receiver(profile);
        int seq = 7;
        for (int byteToFlip : new int[] {1, 13, 12 + 20 + profile.rtpAuthTagLength() - 1}) { // header, payload, tag
            ByteBuf packet = protect(sender, buffers, rtp(0x80, seq++, SSRC, "0102030405060708090a0b0c0d0e0f101112131415"));
            try {
                int at = packet.readerIndex() + byteToFlip;
                packet.setByte(at, packet.getByte(at) ^ 0x01);
                assertThatThrownBy(() -> receiver.unprotectRtp(packet))
                        .isInstanceOf(SrtpException.class)
                        .hasMessageContaining("auth tag mismatch");
            } finally {
                packet.release();
            }
        }
        unprotect(receiver, protect(sender, buffers, rtp(0x80, seq, SSRC, "00")));
    }

    @ParameterizedTest
    @MethodSource("profilesAndBuffers")
    void aTamperedRtcpPacketIsRefused(SrtpProfile profile, Buffers buffers) {
        ByteBuf packet = buffers.packet("81c90007" + "11223344" + "55667788" + "00000000" + "00000000" + "00000000");
        try {
            sender(profile).protectRtcp(packet);
            int at = packet.writerIndex() - profile.rtcpTrailerLength() - 1;
            packet.setByte(at, packet.getByte(at) ^ 0x80);
            assertThatThrownBy(() -> receiver(profile).unprotectRtcp(packet))
                    .isInstanceOf(SrtpException.class)
                    .hasMessageContaining("auth tag mismatch");
        } finally {
            packet.release();
        }
    }

    @ParameterizedTest
    @MethodSource("profilesAndBuffers")
    void tooShortPacketsAreRefused(SrtpProfile profile, Buffers buffers) {
        SrtpContext receiver = receiver(profile);
        for (String hex : new String[] {"", "80", "800f1234decafbadcafeba", "800f1234decafbadcafebabe" + "00".repeat(profile.rtpAuthTagLength() - 1),
                "820f1234decafbadcafebabe" + "00".repeat(profile.rtpAuthTagLength() + 4), // 2 CSRCs announced, 1 present
                "900f1234decafbadcafebabe" + "bede0009" + "00".repeat(profile.rtpAuthTagLength())}) { // extension longer than the packet
            ByteBuf packet = buffers.packet(hex);
            try {
                assertThatThrownBy(() -> receiver.unprotectRtp(packet))
                        .isInstanceOf(SrtpException.class)
                        .hasMessageContaining("too short");
            } finally {
                packet.release();
            }
        }
        ByteBuf rtcp = buffers.packet("81c80006cafebabe" + "00".repeat(profile.rtcpTrailerLength() - 1));
        try {
            assertThatThrownBy(() -> receiver.unprotectRtcp(rtcp)).isInstanceOf(SrtpException.class).hasMessageContaining("too short");
        } finally {
            rtcp.release();
        }
    }

    @ParameterizedTest
    @MethodSource("profilesAndBuffers")
    void replaysAreRefusedAndReorderingWithinTheWindowIsNot(SrtpProfile profile, Buffers buffers) throws SrtpException {
        SrtpContext sender = sender(profile);
        List<ByteBuf> protectedPackets = new ArrayList<>();
        for (int seq = 1000; seq < 1100; seq++) {
            protectedPackets.add(protect(sender, buffers, rtp(0x80, seq, SSRC, "aa")));
        }
        SrtpContext receiver = receiver(profile);
        ByteBuf replay = protectedPackets.get(99).copy();
        ByteBuf old = protectedPackets.get(99 - 64).copy();
        try {
            unprotect(receiver, protectedPackets.get(99));
            unprotect(receiver, protectedPackets.get(50)); // late, within the window
            unprotect(receiver, protectedPackets.get(36)); // the oldest the window still holds

            assertThatThrownBy(() -> receiver.unprotectRtp(replay)).hasMessage("replayed packet seq=1099 ssrc=287454020");
            assertThatThrownBy(() -> receiver.unprotectRtp(old)).hasMessageContaining("too old");
        } finally {
            replay.release();
            old.release();
            protectedPackets.subList(0, 99).stream().filter(p -> p.refCnt() > 0).forEach(ByteBuf::release);
        }
    }

    @ParameterizedTest
    @MethodSource("profilesAndBuffers")
    void rtcpReplaysAreRefused(SrtpProfile profile, Buffers buffers) throws SrtpException {
        ByteBuf packet = buffers.packet("81ca0003" + "11223344" + "01026162" + "00000000");
        ByteBuf replay = null;
        try {
            SrtpContext receiver = receiver(profile);
            sender(profile).protectRtcp(packet);
            replay = packet.copy();
            receiver.unprotectRtcp(packet);
            ByteBuf replayed = replay;
            assertThatThrownBy(() -> receiver.unprotectRtcp(replayed)).hasMessageContaining("replayed packet SRTCP index=1");
        } finally {
            packet.release();
            if (replay != null) {
                replay.release();
            }
        }
    }

    /** A stream crossing 65535 -> 0 twice, received with neighbours swapped around each wrap and in order between. */
    @ParameterizedTest
    @MethodSource("profilesAndBuffers")
    void theRolloverCounterFollowsTheSequenceNumberAcrossTheWrap(SrtpProfile profile, Buffers buffers) throws SrtpException {
        SrtpContext sender = sender(profile);
        SrtpContext receiver = receiver(profile);
        exchangeWithNeighboursSwapped(sender, receiver, buffers, 65436, 200); // ROC 0 -> 1
        // The long middle is about the ROC, not the buffer: one heap buffer, as the paranoid leak detector traces every direct access.
        ByteBuf packet = Buffers.HEAP.packet(new byte[0]);
        try {
            for (int seq = 100; seq < 65436; seq++) {
                packet.clear().writeBytes(rtp(0x80, seq, SSRC, "00"));
                sender.protectRtp(packet);
                receiver.unprotectRtp(packet);
            }
        } finally {
            packet.release();
        }
        exchangeWithNeighboursSwapped(sender, receiver, buffers, 65436, 200); // ROC 1 -> 2
    }

    private static void exchangeWithNeighboursSwapped(SrtpContext sender, SrtpContext receiver, Buffers buffers,
                                                      int firstSeq, int count) throws SrtpException {
        List<byte[]> plain = new ArrayList<>();
        List<ByteBuf> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] rtp = rtp(0x80, (firstSeq + i) & 0xFFFF, SSRC, String.format("%08x", i));
            plain.add(rtp);
            sent.add(protect(sender, buffers, rtp));
        }
        try {
            for (int i = 0; i < count; i++) {
                int swapped = i ^ 1;
                receiver.unprotectRtp(sent.get(swapped));
                assertThat(ByteBufUtil.getBytes(sent.get(swapped))).isEqualTo(plain.get(swapped));
            }
        } finally {
            sent.forEach(ByteBuf::release);
        }
    }

    /** The ROC is in the tag: a receiver that starts after a wrap, unaware of it, cannot authenticate the stream. */
    @ParameterizedTest
    @MethodSource("profilesAndBuffers")
    void aPacketProtectedUnderRocOneFailsUnderRocZero(SrtpProfile profile, Buffers buffers) {
        SrtpContext sender = sender(profile);
        for (int seq = 65530; seq <= 65535; seq++) {
            protect(sender, buffers, rtp(0x80, seq, SSRC, "00")).release();
        }
        ByteBuf afterWrap = protect(sender, buffers, rtp(0x80, 0, SSRC, "00"));
        try {
            assertThatThrownBy(() -> receiver(profile).unprotectRtp(afterWrap)).hasMessageContaining("auth tag mismatch");
        } finally {
            afterWrap.release();
        }
    }

    @Test
    void gcmRefusesToProtectAPacketIndexTwice() {
        SrtpContext sender = sender(SrtpProfile.AEAD_AES_128_GCM);
        byte[] rtp = rtp(0x80, 5, SSRC, "00");
        protect(sender, Buffers.HEAP, rtp).release();
        ByteBuf again = Buffers.HEAP.packet(rtp);
        try {
            assertThatThrownBy(() -> sender.protectRtp(again)).isInstanceOf(IllegalStateException.class).hasMessageContaining("IV reused");
        } finally {
            again.release();
        }
    }

    @Test
    void protectRefusesWhatIsNotRtp() {
        ByteBuf notRtp = Buffers.HEAP.packet("400f1234decafbadcafebabe00");
        try {
            assertThatThrownBy(() -> sender(SrtpProfile.AES128_CM_HMAC_SHA1_80).protectRtp(notRtp))
                    .isInstanceOf(IllegalArgumentException.class);
        } finally {
            notRtp.release();
        }
    }

    @Test
    void aKeyOfAnotherProfilesLengthIsRefused() {
        assertThatThrownBy(() -> new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, KEY, SALT)).isInstanceOf(IllegalArgumentException.class);
    }

    private static SrtpContext sender(SrtpProfile profile) {
        return new SrtpContext(profile, KEY, saltFor(profile));
    }

    private static SrtpContext receiver(SrtpProfile profile) {
        return new SrtpContext(profile, KEY, saltFor(profile));
    }

    private static byte[] saltFor(SrtpProfile profile) {
        return slice(SALT, 0, profile.saltLength());
    }

    private static ByteBuf protect(SrtpContext sender, Buffers buffers, byte[] rtp) {
        ByteBuf packet = buffers.packet(rtp);
        try {
            sender.protectRtp(packet);
            return packet;
        } catch (RuntimeException e) {
            packet.release();
            throw e;
        }
    }

    private static void unprotect(SrtpContext receiver, ByteBuf packet) throws SrtpException {
        try {
            receiver.unprotectRtp(packet);
        } finally {
            packet.release();
        }
    }

    private static byte[] rtp(int firstByte, int seq, int ssrc, String rest) {
        return Buffers.bytes(String.format("%02x60%04x%08x%08x", firstByte, seq, 90000 + seq, ssrc) + rest);
    }

    private static byte[] slice(byte[] bytes, int from, int length) {
        return java.util.Arrays.copyOfRange(bytes, from, from + length);
    }
}
