package io.meshlive.hls.ts;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.MediaFormatException;
import io.meshlive.media.TrackType;
import io.meshlive.media.aac.AacConfig;
import io.meshlive.media.aac.Adts;
import io.meshlive.media.avc.AvcDecoderConfig;
import io.meshlive.media.cue.Cue;
import io.meshlive.media.cue.CueId3;
import io.meshlive.media.hevc.HevcDecoderConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Writes one rendition of a stream as MPEG-TS (ISO/IEC 13818-1) for classic HLS segments: one
 * program, H.264 or HEVC video on PID 0x100, AAC (as ADTS) on PID 0x101. Not thread-safe: one
 * muxer per rendition, fed in decode order from one thread.
 *
 * <p>Each video access unit gets an access unit delimiter, which Apple's HLS spec requires, and
 * keyframes get the parameter sets in front, so every segment starting at a keyframe decodes on
 * its own. A new codec configuration means a new muxer; config frames passed to {@link #write}
 * are ignored.
 */
public final class TsMuxer {
    static final int VIDEO_PID = 0x100;
    static final int AUDIO_PID = 0x101;
    /** Timed metadata (cues as ID3), present in every program so a cue can come at any time. */
    static final int METADATA_PID = 0x102;
    static final int STREAM_TYPE_H264 = 0x1B;
    static final int STREAM_TYPE_HEVC = 0x24;
    static final int STREAM_TYPE_AAC_ADTS = 0x0F;
    /** The null packet PID, which a PMT names as PCR_PID when no stream carries a clock. */
    private static final int NO_PCR_PID = 0x1FFF;
    private static final byte[] START_CODE = {0, 0, 0, 1};
    private static final byte[] AUD_H264 = {0, 0, 0, 1, 0x09, (byte) 0xF0};
    private static final byte[] AUD_HEVC = {0, 0, 0, 1, 0x46, 0x01, 0x50};
    private static final int NAL_LENGTH_SIZE = 4;

    private final Codec videoCodec;
    private final Codec audioCodec;
    private final byte[] aud;
    private final byte[] parameterSets;
    private final AacConfig aacConfig;
    /** Holds one ADTS header at a time: Adts writes into a ByteBuf, the packetizer copies it on. */
    private final ByteBuf adtsHeader;
    private final ProgramTables tables;
    private final TsPacketizer video = new TsPacketizer(VIDEO_PID);
    private final TsPacketizer audio = new TsPacketizer(AUDIO_PID);
    private final TsPacketizer metadata = new TsPacketizer(METADATA_PID);

    /**
     * Either config may be null for a stream without that track; a config of a codec TS cannot
     * carry here leaves that track out. The configs are read, not retained.
     */
    public TsMuxer(Frame videoConfig, Frame audioConfig) {
        Codec v = videoConfig == null ? null : videoConfig.codec();
        if (v == Codec.H264) {
            AvcDecoderConfig avc = AvcDecoderConfig.parse(videoConfig.payload());
            parameterSets = annexB(avc.sps(), avc.pps());
            aud = AUD_H264;
        } else if (v == Codec.HEVC) {
            HevcDecoderConfig hevc = HevcDecoderConfig.parse(videoConfig.payload());
            parameterSets = annexB(hevc.vps(), hevc.sps(), hevc.pps());
            aud = AUD_HEVC;
        } else {
            v = null;
            parameterSets = null;
            aud = null;
        }
        videoCodec = v;

        AacConfig aac = audioConfig != null && audioConfig.codec() == Codec.AAC
                ? AacConfig.parse(audioConfig.payload()) : null;
        // ADTS has two bits for the object type: Main, LC, SSR and LTP only.
        aacConfig = aac != null && aac.objectType() >= 1 && aac.objectType() <= 4 ? aac : null;
        audioCodec = aacConfig == null ? null : Codec.AAC;
        adtsHeader = Unpooled.wrappedBuffer(new byte[Adts.HEADER_LENGTH]);

        byte[] pointer = TimedMetadata.pointerDescriptor(ProgramTables.PROGRAM_NUMBER);
        if (videoCodec != null && audioCodec != null) {
            tables = new ProgramTables(VIDEO_PID, pointer, videoStream(), audioStream(), metadataStream());
        } else if (videoCodec != null) {
            tables = new ProgramTables(VIDEO_PID, pointer, videoStream(), metadataStream());
        } else if (audioCodec != null) {
            tables = new ProgramTables(AUDIO_PID, pointer, audioStream(), metadataStream());
        } else {
            tables = new ProgramTables(NO_PCR_PID);
        }
    }

    /** True if frames of {@code codec} go into this muxer's output, false if {@link #write} drops them. */
    public boolean carries(Codec codec) {
        return codec != null && (codec == videoCodec || codec == audioCodec);
    }

    /** The PAT and PMT that open each segment; the caller owns the returned buffer. */
    public ByteBuf segmentStart(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(2 * TsPacketizer.PACKET_SIZE);
        tables.write(out);
        return out;
    }

    /**
     * Appends the transport packets of {@code frame} to {@code out}; frames of codecs this muxer
     * does not carry, config and data frames write nothing. The frame is only read.
     */
    public void write(Frame frame, ByteBuf out) {
        if (frame.isConfig() || !carries(frame.codec())) {
            return;
        }
        if (frame.track() == TrackType.VIDEO) {
            writeVideo(frame, out);
        } else {
            writeAudio(frame, out);
        }
    }

    /**
     * Appends a cue as an ID3 timed-metadata PES at its frame's PTS (Apple's timed metadata for
     * HLS), to go just before that frame. A program with neither video nor audio writes nothing.
     */
    public void writeCue(Cue cue, ByteBuf out) {
        if (videoCodec == null && audioCodec == null) {
            return;
        }
        byte[] id3 = CueId3.tag(cue);
        metadata.begin(out, PesHeader.METADATA_LENGTH + id3.length, false, -1);
        PesHeader.writeMetadata(metadata, ticks90kHz(cue.ptsMicros()), id3.length);
        metadata.writeBytes(id3);
        metadata.end();
    }

    private void writeVideo(Frame frame, ByteBuf out) {
        ByteBuf nals = frame.payload();
        checkNalUnits(nals);
        boolean key = frame.isVideoKeyframe();
        long dts = ticks90kHz(frame.dts());
        // Swapping each 4-byte length for a 4-byte start code keeps the payload size.
        int esLength = aud.length + (key ? parameterSets.length : 0) + nals.readableBytes();
        // PCR on every video PES keeps the 100 ms PCR spacing of 2.4.2.2 at any frame rate over 10 fps.
        video.begin(out, PesHeader.VIDEO_LENGTH + esLength, key, pcr(dts));
        PesHeader.writeVideo(video, ticks90kHz(frame.pts()), dts);
        video.writeBytes(aud);
        if (key) {
            video.writeBytes(parameterSets);
        }
        int end = nals.writerIndex();
        for (int at = nals.readerIndex(); at < end; ) {
            int length = nals.getInt(at);
            video.writeBytes(START_CODE);
            video.writeBytes(nals, at + NAL_LENGTH_SIZE, length);
            at += NAL_LENGTH_SIZE + length;
        }
        video.end();
    }

    private void writeAudio(Frame frame, ByteBuf out) {
        ByteBuf raw = frame.payload();
        adtsHeader.clear();
        Adts.writeHeader(aacConfig, raw.readableBytes(), adtsHeader);
        int esLength = Adts.HEADER_LENGTH + raw.readableBytes();
        long pts = ticks90kHz(frame.pts());
        // Without video, audio carries the clock and every audio frame is a random access point.
        boolean audioOnly = videoCodec == null;
        audio.begin(out, PesHeader.AUDIO_LENGTH + esLength, audioOnly, audioOnly ? pcr(pts) : -1);
        PesHeader.writeAudio(audio, pts, esLength);
        audio.writeBytes(adtsHeader, 0, Adts.HEADER_LENGTH);
        audio.writeBytes(raw, raw.readerIndex(), raw.readableBytes());
        audio.end();
    }

    /** Checked before any packet is written, so a malformed frame leaves {@code out} untouched. */
    private static void checkNalUnits(ByteBuf nals) {
        int end = nals.writerIndex();
        int at = nals.readerIndex();
        while (at < end) {
            if (end - at < NAL_LENGTH_SIZE) {
                throw new MediaFormatException("video frame ends inside a NAL unit length at byte " + at);
            }
            long length = nals.getUnsignedInt(at);
            if (length > end - at - NAL_LENGTH_SIZE) {
                throw new MediaFormatException("NAL unit of " + length + " bytes at byte " + at
                        + " overruns the " + nals.readableBytes() + "-byte frame");
            }
            at += NAL_LENGTH_SIZE + (int) length;
        }
    }

    private static long ticks90kHz(long micros) {
        return Math.floorDiv(micros * 9, 100);
    }

    /** The PCR at a 90 kHz time, in 27 MHz; wrapped to 33 bits first, as PTS and DTS are, so it is never negative. */
    private static long pcr(long ticks90kHz) {
        return (ticks90kHz & 0x1FFFFFFFFL) * 300;
    }

    private ProgramTables.Stream videoStream() {
        return new ProgramTables.Stream(videoCodec == Codec.H264 ? STREAM_TYPE_H264 : STREAM_TYPE_HEVC, VIDEO_PID);
    }

    private static ProgramTables.Stream metadataStream() {
        return new ProgramTables.Stream(TimedMetadata.STREAM_TYPE_METADATA_PES, METADATA_PID, TimedMetadata.descriptor());
    }

    private static ProgramTables.Stream audioStream() {
        return new ProgramTables.Stream(STREAM_TYPE_AAC_ADTS, AUDIO_PID);
    }

    @SafeVarargs
    private static byte[] annexB(List<byte[]>... groups) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (List<byte[]> group : groups) {
            for (byte[] nal : group) {
                bytes.writeBytes(START_CODE);
                bytes.writeBytes(nal);
            }
        }
        return bytes.toByteArray();
    }
}
