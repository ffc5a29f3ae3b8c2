package io.meshlive.webrtc.rtp;

import io.meshlive.media.Frame;
import io.meshlive.media.TrackType;
import io.meshlive.media.avc.AvcDecoderConfig;
import io.meshlive.media.flv.FlvReader;
import io.meshlive.media.flv.FlvTag;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** The ffmpeg-made captures in src/test/resources/rtp (see the README there), as plain bytes. */
final class Captures {
    /** A video frame of the FLV: length-prefixed NAL units, as the hub carries them. */
    record VideoFrame(byte[] nals, long ptsMicros, boolean keyframe) {
    }

    /** The frames and the avcC record of h264.flv. */
    record Flv(List<VideoFrame> frames, AvcDecoderConfig config) {
    }

    private Captures() {
    }

    static byte[] resource(String name) {
        try (InputStream in = Captures.class.getResourceAsStream("/rtp/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource rtp/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Flv h264Flv() {
        ByteBuf flv = Unpooled.wrappedBuffer(resource("h264.flv"));
        List<VideoFrame> frames = new ArrayList<>();
        AvcDecoderConfig config = null;
        FlvReader reader = new FlvReader(flv);
        for (FlvTag tag = reader.next(); tag != null; tag = reader.next()) {
            Frame frame = tag.toFrame(0);
            tag.release();
            if (frame == null) {
                continue;
            }
            if (frame.track() == TrackType.VIDEO && frame.isConfig()) {
                config = AvcDecoderConfig.parse(frame.payload());
            } else if (frame.track() == TrackType.VIDEO) {
                frames.add(new VideoFrame(ByteBufUtil.getBytes(frame.payload()), frame.pts(), frame.isKeyframe()));
            }
            frame.release();
        }
        flv.release();
        return new Flv(frames, config);
    }

    /** ffmpeg's RTP packets of h264.flv, in the order it sent them. */
    static List<byte[]> h264Packets() {
        return records(resource("h264_rtp_1200.bin"));
    }

    /** Splits records of a 16-bit length and that many bytes (the capture format and RtpPacketList's). */
    static List<byte[]> records(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        List<byte[]> packets = new ArrayList<>();
        while (in.hasRemaining()) {
            byte[] packet = new byte[in.getShort() & 0xFFFF];
            in.get(packet);
            packets.add(packet);
        }
        return packets;
    }

    /** The NAL units of length-prefixed {@code nals}. */
    static List<byte[]> nalUnits(byte[] nals) {
        ByteBuffer in = ByteBuffer.wrap(nals);
        List<byte[]> units = new ArrayList<>();
        while (in.hasRemaining()) {
            byte[] unit = new byte[in.getInt()];
            in.get(unit);
            units.add(unit);
        }
        return units;
    }

    /** Length-prefixes {@code units}, the hub's layout. */
    static byte[] lengthPrefixed(List<byte[]> units) {
        int size = units.stream().mapToInt(u -> 4 + u.length).sum();
        ByteBuffer out = ByteBuffer.allocate(size);
        units.forEach(u -> out.putInt(u.length).put(u));
        return out.array();
    }
}
