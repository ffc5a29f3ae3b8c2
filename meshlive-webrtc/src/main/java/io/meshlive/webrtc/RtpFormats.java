package io.meshlive.webrtc;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.FrameFormat;
import io.meshlive.media.avc.AvcDecoderConfig;
import io.meshlive.media.hevc.HevcDecoderConfig;
import io.meshlive.webrtc.rtp.H264Packetizer;
import io.meshlive.webrtc.rtp.HevcPacketizer;
import io.meshlive.webrtc.rtp.OpusPacketizer;
import io.meshlive.webrtc.rtp.RtpException;
import io.meshlive.webrtc.rtp.RtpHeader;
import io.meshlive.webrtc.rtp.RtpPacketList;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.util.function.Function;

/**
 * A frame as RTP packets ({@link io.meshlive.webrtc.rtp.RtpPacketList}), made once per stream and
 * shared by every WebRTC viewer, who copies each packet only to give it its own sequence number,
 * timestamp and SSRC and to encrypt it.
 *
 * <p>A decoder-configuration frame becomes the packets of its parameter sets (STAP-A for H.264,
 * AP for HEVC), which a viewer sends just before each keyframe; the keyframe's own packets do not
 * repeat them, so the two forms stay pure functions of their frames.
 */
final class RtpFormats {
    /** Whole RTP packets stay under the usual 1200-byte WebRTC budget, before SRTP's tag. */
    static final int MAX_PACKET = 1200;

    static final FrameFormat H264 = new NalFormat("rtp-h264", new H264Packetizer(MAX_PACKET)::packetize,
            config -> H264Packetizer.parameterSets(AvcDecoderConfig.parse(config)));

    static final FrameFormat HEVC = new NalFormat("rtp-hevc", new HevcPacketizer(MAX_PACKET)::packetize,
            config -> HevcPacketizer.parameterSets(HevcDecoderConfig.parse(config)));

    static final FrameFormat OPUS = new FrameFormat("rtp-opus") {
        @Override
        protected ByteBuf encode(Frame frame, ByteBufAllocator alloc) {
            ByteBuf out = alloc.directBuffer(frame.payload().readableBytes() + 16);
            OpusPacketizer.packetize(frame.payload().duplicate(), 0, 0, out);
            return out;
        }
    };

    private RtpFormats() {
    }

    /** RFC 6184 / RFC 7798 packetisation of a NAL-unit codec: the same steps with the codec's packetiser. */
    private static final class NalFormat extends FrameFormat {
        private final Packetizer packetizer;
        private final Function<ByteBuf, byte[][]> parameterSets;

        NalFormat(String name, Packetizer packetizer, Function<ByteBuf, byte[][]> parameterSets) {
            super(name);
            this.packetizer = packetizer;
            this.parameterSets = parameterSets;
        }

        @Override
        protected ByteBuf encode(Frame frame, ByteBufAllocator alloc) {
            ByteBuf out = alloc.directBuffer(packetListCapacity(frame.payload().readableBytes()));
            try {
                if (frame.isConfig()) {
                    packetizer.packetize(Unpooled.EMPTY_BUFFER, parameterSets.apply(frame.payload().duplicate()), true, 0, 0, out);
                    clearMarkers(out);
                } else {
                    packetizer.packetize(frame.payload().duplicate(), null, frame.isKeyframe(), 0, 0, out);
                }
            } catch (RtpException | RuntimeException e) {
                // A frame we cannot packetise is sent as nothing; the viewer's decoder waits for the next keyframe.
                out.clear();
            }
            return out;
        }
    }

    @FunctionalInterface
    private interface Packetizer {
        void packetize(ByteBuf nals, byte[][] parameterSets, boolean keyframe, int payloadType, long rtpTimestamp, ByteBuf out)
                throws RtpException;
    }

    /**
     * Room for a frame's packet list without growing it: per packet, a record length, an RTP
     * header and a fragmentation header (a keyframe of 100 KB is about 85 packets).
     */
    private static int packetListCapacity(int payloadBytes) {
        int packets = payloadBytes / (MAX_PACKET - 16) + 2;
        return payloadBytes + packets * 16;
    }

    /** Parameter sets lead the keyframe's own packets, which end the access unit: no marker on them. */
    private static void clearMarkers(ByteBuf list) {
        RtpPacketList.forEach(list, (l, offset, length) -> RtpHeader.setMarker(l.slice(offset, length), false));
    }

    /** The RTP form for a video codec, or null when WebRTC cannot carry it here. */
    static FrameFormat video(Codec codec) {
        return switch (codec) {
            case H264 -> H264;
            case HEVC -> HEVC;
            default -> null;
        };
    }
}
