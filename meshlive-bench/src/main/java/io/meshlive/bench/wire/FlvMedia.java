package io.meshlive.bench.wire;

/**
 * What an FLV tag body (the same bytes as an RTMP media message) carries, from its first two
 * bytes: a coded frame, or something around frames (a sequence header, end of sequence, a command).
 * Covers the legacy layout and enhanced RTMP's extended headers.
 */
public final class FlvMedia {
    private static final int EX_HEADER = 0x80;
    private static final int FRAME_COMMAND = 5;
    private static final int VIDEO_AVC = 7;
    private static final int VIDEO_HEVC = 12; // the codec id ffmpeg and Chinese CDNs use for HEVC in legacy FLV
    private static final int AVC_NALU = 1;
    private static final int EX_CODED_FRAMES = 1;
    private static final int EX_CODED_FRAMES_X = 3;
    private static final int SOUND_AAC = 10;
    private static final int SOUND_EX_HEADER = 9;
    private static final int AAC_RAW = 1;

    private FlvMedia() {
    }

    /** A video body holding a picture; {@code -1} stands for a byte the body does not have. */
    public static boolean isVideoFrame(int first, int second) {
        if (first < 0) {
            return false;
        }
        if ((first & EX_HEADER) != 0) {
            int packetType = first & 0x0F;
            return (first >> 4 & 0x07) != FRAME_COMMAND
                    && (packetType == EX_CODED_FRAMES || packetType == EX_CODED_FRAMES_X);
        }
        if (first >> 4 == FRAME_COMMAND) {
            return false;
        }
        int codec = first & 0x0F;
        return codec != VIDEO_AVC && codec != VIDEO_HEVC || second == AVC_NALU;
    }

    /** An audio body holding a coded frame (not an AAC or enhanced sequence header). */
    public static boolean isAudioFrame(int first, int second) {
        if (first < 0) {
            return false;
        }
        return switch (first >> 4) {
            case SOUND_AAC -> second == AAC_RAW;
            case SOUND_EX_HEADER -> (first & 0x0F) == EX_CODED_FRAMES;
            default -> true;
        };
    }
}
