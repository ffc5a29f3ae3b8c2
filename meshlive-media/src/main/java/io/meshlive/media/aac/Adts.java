package io.meshlive.media.aac;

import io.meshlive.media.MediaFormatException;
import io.netty.buffer.ByteBuf;

/**
 * The 7-byte ADTS header (ISO/IEC 13818-7 6.2, no CRC) that self-delimits each raw AAC frame in
 * MPEG-TS and .aac files, while FLV, RTMP and MP4 carry the AudioSpecificConfig once instead.
 */
public final class Adts {
    public static final int HEADER_LENGTH = 7;
    private static final int MAX_FRAME_LENGTH = (1 << 13) - 1;
    /** 0x7FF: variable bit rate, the only fullness a live muxer can honestly claim. */
    private static final int BUFFER_FULLNESS_VBR = 0x7FF;

    private Adts() {
    }

    /** Writes the header for one raw frame of {@code payloadLength} bytes. */
    public static void writeHeader(AacConfig config, int payloadLength, ByteBuf out) {
        // The profile field holds only object types 1..4, the channel field three bits.
        int profile = config.objectType() - 1;
        if (profile < 0 || profile > 3) {
            throw new MediaFormatException("ADTS cannot carry AAC object type " + config.objectType());
        }
        int rateIndex = rateIndex(config.sampleRate());
        if (config.channelConfig() > 7) {
            throw new MediaFormatException("ADTS cannot carry channel configuration " + config.channelConfig());
        }
        int frameLength = HEADER_LENGTH + payloadLength;
        if (payloadLength < 0 || frameLength > MAX_FRAME_LENGTH) {
            throw new MediaFormatException("ADTS frame of " + frameLength + " bytes exceeds " + MAX_FRAME_LENGTH);
        }
        int channels = config.channelConfig();
        out.writeByte(0xFF);
        out.writeByte(0xF1); // sync, MPEG-4, layer 0, no CRC
        out.writeByte(profile << 6 | rateIndex << 2 | channels >> 2);
        out.writeByte((channels & 3) << 6 | frameLength >> 11);
        out.writeByte(frameLength >> 3);
        out.writeByte((frameLength & 7) << 5 | BUFFER_FULLNESS_VBR >> 6);
        out.writeByte((BUFFER_FULLNESS_VBR & 0x3F) << 2); // and one raw data block
    }

    /**
     * The configuration in the ADTS header at the reader index of {@code adts}, indices left alone.
     * Only the tests read ADTS (the server writes it), to check what {@link #writeHeader} wrote.
     */
    static AacConfig readConfig(ByteBuf adts) {
        if (adts.readableBytes() < HEADER_LENGTH) {
            throw new MediaFormatException("ADTS header truncated: " + adts.readableBytes() + " of " + HEADER_LENGTH
                    + " bytes");
        }
        int at = adts.readerIndex();
        int b1 = adts.getUnsignedByte(at + 1);
        if (adts.getUnsignedByte(at) != 0xFF || (b1 & 0xF0) != 0xF0) {
            throw new MediaFormatException("ADTS header has no sync word");
        }
        if ((b1 & 0x06) != 0) {
            throw new MediaFormatException("ADTS header has layer " + (b1 >> 1 & 3) + ", expected 0");
        }
        int b2 = adts.getUnsignedByte(at + 2);
        int rateIndex = b2 >> 2 & 0x0F;
        if (rateIndex >= AacConfig.SAMPLE_RATES.length) {
            throw new MediaFormatException("ADTS header has reserved sampling frequency index " + rateIndex);
        }
        int channels = (b2 & 1) << 2 | adts.getUnsignedByte(at + 3) >> 6;
        return new AacConfig((b2 >> 6) + 1, AacConfig.SAMPLE_RATES[rateIndex], channels);
    }

    private static int rateIndex(int sampleRate) {
        for (int i = 0; i < AacConfig.SAMPLE_RATES.length; i++) {
            if (AacConfig.SAMPLE_RATES[i] == sampleRate) {
                return i;
            }
        }
        throw new MediaFormatException("ADTS cannot carry sampling rate " + sampleRate + " Hz");
    }
}
