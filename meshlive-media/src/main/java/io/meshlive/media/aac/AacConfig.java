package io.meshlive.media.aac;

import io.meshlive.media.BitReader;
import io.meshlive.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * What an AAC decoder needs to start: the audio object type (2 = AAC-LC), the sampling rate and
 * the channel configuration (ISO/IEC 14496-3 1.6.2.1). Read from an AudioSpecificConfig, the
 * payload of an AAC config frame, or from an ADTS header ({@link Adts}).
 *
 * <p>For HE-AAC signalled explicitly (object type 5 or 29 first) this is the core AAC layer, the
 * object type and rate an ADTS header must carry; the SBR rate is twice that rate.
 */
public record AacConfig(int objectType, int sampleRate, int channelConfig) {
    private static final String WHAT = "AAC AudioSpecificConfig";
    static final int[] SAMPLE_RATES = {
            96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350};
    private static final int EXPLICIT_RATE = 15;
    private static final int AOT_ESCAPE = 31;
    private static final int AOT_SBR = 5;
    private static final int AOT_PS = 29;
    /** Channels for channel_configuration 0..14 (Table 1.19); 0 means a program config element decides. */
    private static final int[] CHANNELS = {0, 1, 2, 3, 4, 5, 6, 8, 0, 0, 0, 7, 8, 0, 8};

    /** Parses the readable bytes of {@code asc}, leaving its indices alone. Trailing extensions are ignored. */
    public static AacConfig parse(ByteBuf asc) {
        BitReader r = new BitReader(WHAT, ByteBufUtil.getBytes(asc));
        int objectType = objectType(r);
        int sampleRate = sampleRate(r);
        int channelConfig = r.u(4);
        if (objectType == AOT_SBR || objectType == AOT_PS) {
            sampleRate(r); // extensionSamplingFrequency
            objectType = objectType(r);
        }
        return new AacConfig(objectType, sampleRate, channelConfig);
    }

    /** The channel count the configuration implies, or 0 when a program config element sets it. */
    public int channels() {
        return channelConfig < CHANNELS.length ? CHANNELS[channelConfig] : 0;
    }

    /** GetAudioObjectType(): five bits, or 32 plus six more after the escape value 31. */
    private static int objectType(BitReader r) {
        int type = r.u(5);
        return type == AOT_ESCAPE ? 32 + r.u(6) : type;
    }

    /** A four-bit index into the standard rates, or 15 followed by the rate itself in 24 bits. */
    private static int sampleRate(BitReader r) {
        int index = r.u(4);
        if (index == EXPLICIT_RATE) {
            return r.u(24);
        }
        if (index >= SAMPLE_RATES.length) {
            throw new MediaFormatException(WHAT + ": reserved sampling frequency index " + index);
        }
        return SAMPLE_RATES[index];
    }
}
