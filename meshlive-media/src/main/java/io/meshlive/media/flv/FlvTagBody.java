package io.meshlive.media.flv;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.MediaFormatException;
import io.meshlive.media.UnsupportedCodecException;
import io.meshlive.media.cue.Cue;
import io.meshlive.media.cue.CueScriptData;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * The body of an FLV audio, video or script tag, which is also the payload of an RTMP audio,
 * video or data message: a small codec header, then the frame. Covers the legacy headers of the
 * FLV 10.1 spec (annex E.4), the HEVC-as-codec-id-12 variant common on Chinese CDNs, and the
 * FourCC headers of Enhanced RTMP (veovera E-RTMP v1 and v2, single track).
 *
 * <p>Decoding reads at absolute indices and leaves the body's indices and ownership with the
 * caller; the frame gets its own reference to the bytes behind the header (a retained slice, no
 * copy). Encoding writes only the header: the caller appends {@link Frame#payload()}.
 */
public final class FlvTagBody {
    private static final int FRAME_KEY = 1;
    private static final int FRAME_INTER = 2;
    /** A seek marker or other command, no frame: VideoFrameType.Command. */
    private static final int FRAME_COMMAND = 5;

    private static final int CODEC_ID_AVC = 7;
    private static final int CODEC_ID_HEVC = 12;
    private static final int AVC_SEQUENCE_HEADER = 0;
    private static final int AVC_NALU = 1;
    private static final int AVC_END_OF_SEQUENCE = 2;
    private static final int AVC_HEADER_LENGTH = 5;

    private static final int EX_HEADER = 0x80;
    private static final int SEQUENCE_START = 0;
    private static final int CODED_FRAMES = 1;
    private static final int SEQUENCE_END = 2;
    private static final int CODED_FRAMES_X = 3;
    private static final int METADATA = 4;
    private static final int MPEG2TS_SEQUENCE_START = 5;
    private static final int EX_HEADER_LENGTH = 5;
    private static final int CTS_LENGTH = 3;

    private static final int SOUND_MP3 = 2;
    private static final int SOUND_PCMA = 7;
    private static final int SOUND_PCMU = 8;
    private static final int SOUND_EX_HEADER = 9;
    private static final int SOUND_AAC = 10;
    private static final int SOUND_MP3_8K = 14;
    private static final int AAC_SEQUENCE_HEADER = 0;
    private static final int AAC_RAW = 1;
    private static final int AUDIO_MULTICHANNEL_CONFIG = 4;
    /** SoundRate 3 (44 kHz), SoundSize 1 (16 bit), SoundType 1 (stereo): what the FLV spec asks of AAC. */
    private static final int AAC_FLAGS = 0x0F;
    /** SoundRate 0, 16 bit, mono: G.711 in FLV is always 8 kHz, signalled by its codec id alone. */
    private static final int G711_FLAGS = 0x02;

    private static final int FOURCC_AVC = fourCc("avc1");
    private static final int FOURCC_HEVC = fourCc("hvc1");
    private static final int FOURCC_AV1 = fourCc("av01");
    private static final int FOURCC_VP9 = fourCc("vp09");
    private static final int FOURCC_OPUS = fourCc("Opus");
    private static final int FOURCC_AAC = fourCc("mp4a");
    private static final int FOURCC_MP3 = fourCc(".mp3");

    private static final int AMF0_STRING = 0x02;
    private static final byte[] SET_DATA_FRAME = "@setDataFrame".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ON_META_DATA = "onMetaData".getBytes(StandardCharsets.US_ASCII);

    private FlvTagBody() {
    }

    /**
     * Decodes a video tag body into a frame, or returns null for a packet that carries none (end of
     * sequence, a command, enhanced metadata). pts = dts + the signed 24-bit composition time.
     */
    public static Frame decodeVideo(ByteBuf body, long dtsMicros, long arrivalNanos) {
        int at = body.readerIndex();
        require(body, 1, "video tag header");
        int first = body.getUnsignedByte(at);
        if ((first & EX_HEADER) != 0) {
            return decodeExVideo(body, first, dtsMicros, arrivalNanos);
        }
        int frameType = first >> 4;
        int codecId = first & 0x0F;
        if (frameType == FRAME_COMMAND) {
            require(body, 2, "video command frame");
            return null;
        }
        Codec codec = switch (codecId) {
            case CODEC_ID_AVC -> Codec.H264;
            case CODEC_ID_HEVC -> Codec.HEVC;
            default -> throw new UnsupportedCodecException("unsupported video codec id " + codecId);
        };
        require(body, AVC_HEADER_LENGTH, codec + " video tag header");
        int packetType = body.getUnsignedByte(at + 1);
        return switch (packetType) {
            case AVC_SEQUENCE_HEADER -> Frame.config(codec, dtsMicros, behind(body, AVC_HEADER_LENGTH), arrivalNanos);
            case AVC_NALU -> Frame.media(codec, dtsMicros, dtsMicros + body.getMedium(at + 2) * 1000L,
                    frameType == FRAME_KEY, behind(body, AVC_HEADER_LENGTH), arrivalNanos);
            case AVC_END_OF_SEQUENCE -> null;
            default -> throw new MediaFormatException("unknown AVCPacketType " + packetType);
        };
    }

    private static Frame decodeExVideo(ByteBuf body, int first, long dtsMicros, long arrivalNanos) {
        int frameType = first >> 4 & 0x07;
        int packetType = first & 0x0F;
        if (frameType == FRAME_COMMAND && packetType != METADATA) {
            require(body, 2, "enhanced video command frame");
            return null;
        }
        if (packetType > MPEG2TS_SEQUENCE_START) { // multitrack, ModEx, reserved
            throw new UnsupportedCodecException("unsupported video packet type " + packetType);
        }
        require(body, EX_HEADER_LENGTH, "enhanced video tag header");
        Codec codec = videoCodec(body.getInt(body.readerIndex() + 1));
        boolean keyframe = frameType == FRAME_KEY;
        switch (packetType) {
            case SEQUENCE_START:
                return Frame.config(codec, dtsMicros, behind(body, EX_HEADER_LENGTH), arrivalNanos);
            case CODED_FRAMES:
            case CODED_FRAMES_X:
                if (carriesCompositionTime(packetType, codec)) {
                    require(body, EX_HEADER_LENGTH + CTS_LENGTH, "enhanced video tag header");
                    long pts = dtsMicros + body.getMedium(body.readerIndex() + EX_HEADER_LENGTH) * 1000L;
                    return Frame.media(codec, dtsMicros, pts, keyframe, behind(body, EX_HEADER_LENGTH + CTS_LENGTH),
                            arrivalNanos);
                }
                return Frame.media(codec, dtsMicros, dtsMicros, keyframe, behind(body, EX_HEADER_LENGTH), arrivalNanos);
            case MPEG2TS_SEQUENCE_START:
                // An AV1 descriptor for MPEG-2 TS in place of the av1C record every packager expects.
                throw new UnsupportedCodecException("unsupported video packet type 5 (MPEG2TSSequenceStart)");
            default: // SequenceEnd; Metadata (HDR colour info, which the bitstream repeats)
                return null;
        }
    }

    /**
     * Decodes an audio tag body into a frame, or returns null for an enhanced packet that carries
     * none (sequence end, multichannel layout, an MP3 sequence start).
     */
    public static Frame decodeAudio(ByteBuf body, long dtsMicros, long arrivalNanos) {
        require(body, 1, "audio tag header");
        int first = body.getUnsignedByte(body.readerIndex());
        int soundFormat = first >> 4;
        switch (soundFormat) {
            case SOUND_MP3:
            case SOUND_MP3_8K:
                return Frame.media(Codec.MP3, dtsMicros, dtsMicros, true, behind(body, 1), arrivalNanos);
            case SOUND_PCMA:
                return Frame.media(Codec.PCMA, dtsMicros, dtsMicros, true, behind(body, 1), arrivalNanos);
            case SOUND_PCMU:
                return Frame.media(Codec.PCMU, dtsMicros, dtsMicros, true, behind(body, 1), arrivalNanos);
            case SOUND_AAC:
                require(body, 2, "AAC audio tag header");
                int packetType = body.getUnsignedByte(body.readerIndex() + 1);
                return switch (packetType) {
                    case AAC_SEQUENCE_HEADER -> Frame.config(Codec.AAC, dtsMicros, behind(body, 2), arrivalNanos);
                    case AAC_RAW -> Frame.media(Codec.AAC, dtsMicros, dtsMicros, true, behind(body, 2), arrivalNanos);
                    default -> throw new MediaFormatException("unknown AACPacketType " + packetType);
                };
            case SOUND_EX_HEADER:
                return decodeExAudio(body, first & 0x0F, dtsMicros, arrivalNanos);
            default:
                throw new UnsupportedCodecException("unsupported audio codec id " + soundFormat);
        }
    }

    private static Frame decodeExAudio(ByteBuf body, int packetType, long dtsMicros, long arrivalNanos) {
        if (packetType != SEQUENCE_START && packetType != CODED_FRAMES && packetType != SEQUENCE_END
                && packetType != AUDIO_MULTICHANNEL_CONFIG) { // multitrack, ModEx, reserved
            throw new UnsupportedCodecException("unsupported audio packet type " + packetType);
        }
        require(body, EX_HEADER_LENGTH, "enhanced audio tag header");
        Codec codec = audioCodec(body.getInt(body.readerIndex() + 1));
        if (packetType == CODED_FRAMES) {
            return Frame.media(codec, dtsMicros, dtsMicros, true, behind(body, EX_HEADER_LENGTH), arrivalNanos);
        }
        if (packetType == SEQUENCE_START && codec != Codec.MP3) { // MP3 frames configure themselves
            return Frame.config(codec, dtsMicros, behind(body, EX_HEADER_LENGTH), arrivalNanos);
        }
        // SequenceEnd; a channel order for the config's channel count, which is all packagers use.
        return null;
    }

    /**
     * Decodes a script tag body: drops a leading {@code "@setDataFrame"} (what RTMP publishers put
     * in front of the metadata they want stored), then returns onMetaData as the data track's
     * config frame and anything else (a cue) as a data frame.
     */
    public static Frame decodeScript(ByteBuf body, long dtsMicros, long arrivalNanos) {
        int from = body.readerIndex();
        // All of them, not just the first, so that decoding a decoded payload again changes nothing.
        while (startsWithString(body, from, SET_DATA_FRAME)) {
            from += 3 + SET_DATA_FRAME.length;
        }
        if (from == body.writerIndex()) {
            throw new MediaFormatException("empty script data");
        }
        boolean metadata = startsWithString(body, from, ON_META_DATA);
        ByteBuf payload = body.retainedSlice(from, body.writerIndex() - from);
        return metadata
                ? Frame.config(Codec.AMF0, dtsMicros, payload, arrivalNanos)
                : Frame.data(dtsMicros, payload, arrivalNanos);
    }

    /**
     * What follows the header in the tag body: the frame's payload, or for a cue its AMF0
     * {@code onCuePoint} message ({@link CueScriptData}). The caller releases it.
     */
    public static ByteBuf retainedBody(Frame frame, ByteBufAllocator alloc) {
        if (frame.codec() == Codec.CUE) {
            return CueScriptData.onCuePoint(Cue.read(frame.payload()), alloc);
        }
        return frame.payload().retainedDuplicate();
    }

    /** Bytes {@link #writeHeader} writes for this frame. */
    public static int headerLength(Frame frame) {
        return switch (frame.codec()) {
            case H264 -> AVC_HEADER_LENGTH;
            case HEVC, AV1, VP9 -> carriesCompositionTime(videoPacketType(frame), frame.codec())
                    ? EX_HEADER_LENGTH + CTS_LENGTH : EX_HEADER_LENGTH;
            case AAC -> 2;
            case MP3, PCMA, PCMU -> 1;
            case OPUS -> EX_HEADER_LENGTH;
            case AMF0, CUE -> 0;
        };
    }

    /**
     * Writes the tag body header for this frame: legacy headers where every player understands
     * them (H.264, AAC, MP3, G.711), Enhanced RTMP FourCC headers for the rest, none for script data.
     */
    public static void writeHeader(Frame frame, ByteBuf out) {
        Codec codec = frame.codec();
        switch (codec) {
            case H264 -> {
                int cts = frame.isConfig() ? 0 : compositionTimeMillis(frame); // may throw: before writing
                out.writeByte(videoFrameType(frame) << 4 | CODEC_ID_AVC);
                out.writeByte(frame.isConfig() ? AVC_SEQUENCE_HEADER : AVC_NALU);
                out.writeMedium(cts);
            }
            case HEVC, AV1, VP9 -> {
                int packetType = videoPacketType(frame);
                out.writeByte(EX_HEADER | videoFrameType(frame) << 4 | packetType);
                out.writeInt(videoFourCc(codec));
                if (carriesCompositionTime(packetType, codec)) {
                    out.writeMedium(compositionTimeMillis(frame));
                }
            }
            case AAC -> {
                out.writeByte(SOUND_AAC << 4 | AAC_FLAGS);
                out.writeByte(frame.isConfig() ? AAC_SEQUENCE_HEADER : AAC_RAW);
            }
            case MP3 -> out.writeByte(SOUND_MP3 << 4 | mp3Flags(frame.payload()));
            case PCMA -> out.writeByte(SOUND_PCMA << 4 | G711_FLAGS);
            case PCMU -> out.writeByte(SOUND_PCMU << 4 | G711_FLAGS);
            case OPUS -> {
                out.writeByte(SOUND_EX_HEADER << 4 | (frame.isConfig() ? SEQUENCE_START : CODED_FRAMES));
                out.writeInt(FOURCC_OPUS);
            }
            case AMF0, CUE -> {
                // script data is AMF all the way, no header; a cue's AMF0 form is its retainedBody
            }
        }
    }

    /**
     * SequenceStart for a config; CodedFrames when a composition time must be sent or the codec has
     * none (what ffmpeg writes for AV1 and VP9); CodedFramesX to save the three zero bytes for HEVC.
     */
    private static int videoPacketType(Frame frame) {
        if (frame.isConfig()) {
            return SEQUENCE_START;
        }
        return hasCompositionTime(frame.codec()) && compositionTimeMillis(frame) == 0 ? CODED_FRAMES_X : CODED_FRAMES;
    }

    /** Config frames go out as keyframes, as every FLV muxer writes sequence headers. */
    private static int videoFrameType(Frame frame) {
        return frame.isKeyframe() || frame.isConfig() ? FRAME_KEY : FRAME_INTER;
    }

    /** pts - dts in whole milliseconds, consistent with a tag timestamp of floor(dts / 1000). */
    private static int compositionTimeMillis(Frame frame) {
        long cts = Math.floorDiv(frame.pts(), 1000) - Math.floorDiv(frame.dts(), 1000);
        if (cts < -(1 << 23) || cts >= 1 << 23) {
            throw new MediaFormatException("composition time " + cts + " ms does not fit 24 bits: " + frame);
        }
        return (int) cts;
    }

    /** Only H.264 and HEVC reorder frames and so carry a composition time in CodedFrames. */
    private static boolean hasCompositionTime(Codec codec) {
        return codec == Codec.H264 || codec == Codec.HEVC;
    }

    /** Whether an SI24 composition time follows the FourCC: CodedFrames of a codec that has one. */
    private static boolean carriesCompositionTime(int packetType, Codec codec) {
        return packetType == CODED_FRAMES && hasCompositionTime(codec);
    }

    /**
     * The SoundRate/SoundSize/SoundType bits for MP3: decoders take the rate from the MP3 frame
     * header, but some players trust the mono/stereo bit, so it follows the header's channel mode.
     */
    private static int mp3Flags(ByteBuf payload) {
        boolean mono = payload.readableBytes() >= 4 && (payload.getUnsignedByte(payload.readerIndex() + 3) >> 6) == 3;
        return mono ? 0x0E : 0x0F;
    }

    private static Codec videoCodec(int fourCc) {
        if (fourCc == FOURCC_AVC) {
            return Codec.H264;
        } else if (fourCc == FOURCC_HEVC) {
            return Codec.HEVC;
        } else if (fourCc == FOURCC_AV1) {
            return Codec.AV1;
        } else if (fourCc == FOURCC_VP9) {
            return Codec.VP9;
        }
        throw new UnsupportedCodecException("unsupported video FourCC " + fourCcName(fourCc));
    }

    private static int videoFourCc(Codec codec) {
        return switch (codec) {
            case HEVC -> FOURCC_HEVC;
            case AV1 -> FOURCC_AV1;
            case VP9 -> FOURCC_VP9;
            default -> throw new IllegalArgumentException(codec + " is written with a legacy header");
        };
    }

    private static Codec audioCodec(int fourCc) {
        if (fourCc == FOURCC_OPUS) {
            return Codec.OPUS;
        } else if (fourCc == FOURCC_AAC) {
            return Codec.AAC;
        } else if (fourCc == FOURCC_MP3) {
            return Codec.MP3;
        }
        throw new UnsupportedCodecException("unsupported audio FourCC " + fourCcName(fourCc));
    }

    /** The bytes behind a header of {@code headerLength}, as the frame's own reference. */
    private static ByteBuf behind(ByteBuf body, int headerLength) {
        return body.retainedSlice(body.readerIndex() + headerLength, body.readableBytes() - headerLength);
    }

    private static void require(ByteBuf body, int length, String what) {
        if (body.readableBytes() < length) {
            throw new MediaFormatException(what + " truncated: " + body.readableBytes() + " of " + length + " bytes");
        }
    }

    /** Whether an AMF0 string marker with exactly this ASCII value starts at {@code index}. */
    private static boolean startsWithString(ByteBuf body, int index, byte[] value) {
        int length = 3 + value.length;
        if (body.writerIndex() - index < length
                || body.getUnsignedByte(index) != AMF0_STRING
                || body.getUnsignedShort(index + 1) != value.length) {
            return false;
        }
        for (int i = 0; i < value.length; i++) {
            if (body.getByte(index + 3 + i) != value[i]) {
                return false;
            }
        }
        return true;
    }

    private static int fourCc(String name) {
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    /** 'vp08', or hex when the bytes are not printable. */
    private static String fourCcName(int fourCc) {
        StringBuilder name = new StringBuilder("'");
        for (int shift = 24; shift >= 0; shift -= 8) {
            int c = fourCc >> shift & 0xFF;
            if (c < 0x20 || c > 0x7E) {
                return String.format("0x%08x", fourCc);
            }
            name.append((char) c);
        }
        return name.append('\'').toString();
    }
}
