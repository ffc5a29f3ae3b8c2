package io.meshlive.server.it;

/**
 * One FLV tag as a client receives it: type, timestamp (ms) and the tag body. The predicates
 * read the first bytes of the body as the FLV spec lays them out for AVC video and AAC audio.
 */
record FlvTag(int type, long timestamp, byte[] data) {
    static final int AUDIO = 8;
    static final int VIDEO = 9;
    static final int SCRIPT = 18;
    private static final int AVC = 7;
    private static final int AAC = 10;

    boolean isVideo() {
        return type == VIDEO;
    }

    boolean isAudio() {
        return type == AUDIO;
    }

    /** Video frame type 1: a keyframe (for AVC, an IDR picture). */
    boolean isKeyframe() {
        return isVideo() && data.length > 0 && (data[0] & 0xF0) >> 4 == 1;
    }

    /** AVCPacketType 0: the AVCDecoderConfigurationRecord, not a picture. */
    boolean isAvcSequenceHeader() {
        return isVideo() && data.length > 1 && (data[0] & 0x0F) == AVC && data[1] == 0;
    }

    /** AACPacketType 0: the AudioSpecificConfig. */
    boolean isAacSequenceHeader() {
        return isAudio() && data.length > 1 && (data[0] & 0xF0) >> 4 == AAC && data[1] == 0;
    }

    /** A coded picture, as opposed to the decoder configuration. */
    boolean isVideoFrame() {
        return isVideo() && !isAvcSequenceHeader();
    }

    @Override
    public String toString() {
        String what = switch (type) {
            case VIDEO -> isAvcSequenceHeader() ? "video config" : isKeyframe() ? "video key" : "video";
            case AUDIO -> isAacSequenceHeader() ? "audio config" : "audio";
            case SCRIPT -> "script";
            default -> "type " + type;
        };
        return what + " ts=" + timestamp + " size=" + data.length
                + (data.length > 1 ? String.format(" [%02x %02x]", data[0], data[1]) : "");
    }
}
