package io.meshlive.bench.play;

import io.meshlive.bench.StreamUrl;
import io.meshlive.webrtc.rtp.RtpHeader;
import io.meshlive.webrtc.srtp.SrtpContext;
import io.meshlive.webrtc.srtp.SrtpKeys;
import io.meshlive.webrtc.srtp.SrtpProfile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a WHEP player opens: every video packet until the first keyframe, then the first packet of
 * each frame, one audio packet in {@link WhepMedia#AUDIO_OPEN_EVERY}; the rest is counted from its
 * clear header. A packet with a broken tag shows which: it counts as undecryptable only if opened.
 */
class WhepMediaTest {
    private static final int VIDEO = 96;
    private static final int OPUS = 111;
    private static final long VIDEO_SSRC = 0x1111;
    private static final long AUDIO_SSRC = 0x2222;
    private static final SrtpProfile PROFILE = SrtpProfile.AEAD_AES_128_GCM;

    private final byte[] material = new byte[PROFILE.keyingMaterialLength()];
    private final SrtpContext server;
    private final SrtpContext player;

    WhepMediaTest() {
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) (i * 7 + 1);
        }
        server = SrtpKeys.fromDtlsKeyingMaterial(PROFILE, material, true).newSenderContext();
        player = SrtpKeys.fromDtlsKeyingMaterial(PROFILE, material, false).newReceiverContext();
    }

    @Test
    void opensTheFirstPacketOfEachFrameAndCountsTheRestFromTheirHeaders() {
        Player viewer = new Player(0, StreamUrl.parse("http://127.0.0.1:8080/live/demo/whep"));
        BitSet video = new BitSet();
        video.set(VIDEO);
        WhepMedia media = new WhepMedia(viewer, player, video);

        deliver(media, packet(VIDEO, VIDEO_SSRC, 1, 0, false, 0x41, 0x9a), false);   // a P slice before any keyframe: opened, skipped
        deliver(media, packet(VIDEO, VIDEO_SSRC, 2, 0, true, 0x65, 0x88), false);    // an IDR slice alone, same timestamp: opened (no keyframe yet)
        deliver(media, packet(VIDEO, VIDEO_SSRC, 3, 3000, false, 0x41, 0x9a), false); // a new frame's first packet: opened
        deliver(media, packet(VIDEO, VIDEO_SSRC, 4, 3000, true, 0x41, 0x9b), true);   // its second, tag broken: not opened
        deliver(media, packet(VIDEO, VIDEO_SSRC, 5, 6000, true, 0x41, 0x9a), true);   // a new frame's first, tag broken: opened, refused
        deliver(media, packet(OPUS, AUDIO_SSRC, 32, 960, true, 0x78, 0x01), false);   // audio 32 (a multiple of 16): opened
        deliver(media, packet(OPUS, AUDIO_SSRC, 33, 1920, true, 0x78, 0x01), true);   // audio 33, tag broken: not opened

        WhepCounts counts = media.counts();
        assertThat(counts.rtpPackets()).isEqualTo(6);
        assertThat(counts.undecryptable()).isEqualTo(1);
        PlayerResult result = viewer.snapshot(System.nanoTime());
        assertThat(result.videoFrames()).as("the keyframe and the frame at 3000").isEqualTo(2);
        assertThat(result.audioFrames()).isEqualTo(2);
        assertThat(result.firstVideoAtNanos()).isPositive();
    }

    private ByteBuf packet(int payloadType, long ssrc, int sequence, long timestamp, boolean marker, int nal, int next) {
        ByteBuf p = Unpooled.buffer(64);
        RtpHeader.write(p, marker, payloadType, sequence, timestamp, ssrc);
        p.writeByte(nal).writeByte(next).writeZero(20);
        server.protectRtp(p);
        return p;
    }

    private static void deliver(WhepMedia media, ByteBuf packet, boolean breakTag) {
        try {
            if (breakTag) {
                int last = packet.writerIndex() - 1;
                packet.setByte(last, packet.getByte(last) ^ 0x01);
            }
            media.onPacket(packet);
        } finally {
            packet.release();
        }
    }
}
