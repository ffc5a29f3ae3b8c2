package io.meshlive.media.fmp4;

import io.meshlive.media.VideoSize;
import io.meshlive.media.Frame;
import io.meshlive.media.UnsupportedCodecException;
import io.meshlive.media.aac.AacConfig;
import io.netty.buffer.ByteBuf;

/**
 * The one sample entry in a track's {@code stsd} (ISO/IEC 14496-12 12.1.3, 12.2.3), built from
 * the track's config frame: {@code avc1}/{@code hvc1} carry the record bytes as they are, which
 * is why the hub keeps video config in the avcC/hvcC form.
 */
final class SampleEntry {
    /** 72 dpi in 16.16, the value every writer uses; players ignore it. */
    private static final int RESOLUTION_72_DPI = 0x0048_0000;
    private static final int DEPTH_COLOUR = 0x0018;
    private static final int DATA_REFERENCE_INDEX = 1;
    private static final int SAMPLE_SIZE_BITS = 16;

    private SampleEntry() {
    }

    static void write(Frame config, int trackId, ByteBuf out) {
        ByteBuf record = config.payload();
        switch (config.codec()) {
            case H264 -> visual(out, "avc1", "avcC", VideoSize.of(config), record);
            // hvc1, not hev1: the hub's hvcC holds the parameter sets, and Safari plays only hvc1.
            case HEVC -> visual(out, "hvc1", "hvcC", VideoSize.of(config), record);
            case AAC -> {
                AacConfig aac = AacConfig.parse(record);
                int entry = audio(out, "mp4a", aac.channels(), aac.sampleRate());
                Esds.write(record, trackId, out);
                Boxes.end(out, entry);
            }
            case OPUS -> {
                int entry = audio(out, "Opus", opusChannels(record), Timescale.OPUS);
                DOps.write(record, out);
                Boxes.end(out, entry);
            }
            default -> throw new UnsupportedCodecException("no fMP4 sample entry for " + config.codec());
        }
    }

    private static void visual(ByteBuf out, String type, String configType, VideoSize size, ByteBuf record) {
        int entry = start(out, type);
        out.writeShort(0); // pre_defined
        out.writeShort(0); // reserved
        out.writeZero(12); // pre_defined
        out.writeShort(size.width());
        out.writeShort(size.height());
        out.writeInt(RESOLUTION_72_DPI);
        out.writeInt(RESOLUTION_72_DPI);
        out.writeInt(0); // reserved
        out.writeShort(1); // frame_count: one frame per sample
        out.writeZero(32); // compressorname: empty Pascal string
        out.writeShort(DEPTH_COLOUR);
        out.writeShort(-1); // pre_defined
        int box = Boxes.start(out, configType);
        Boxes.copy(record, out);
        Boxes.end(out, box);
        Boxes.end(out, entry);
    }

    /** Writes the AudioSampleEntry fields; the caller adds the codec box and ends the entry. */
    private static int audio(ByteBuf out, String type, int channels, int sampleRate) {
        int entry = start(out, type);
        out.writeZero(8); // reserved
        out.writeShort(channels);
        out.writeShort(SAMPLE_SIZE_BITS);
        out.writeShort(0); // pre_defined
        out.writeShort(0); // reserved
        // 16.16 fixed point caps this at 65535 Hz; the mdhd timescale carries the true rate.
        out.writeInt(Math.min(sampleRate, 0xFFFF) << 16);
        return entry;
    }

    private static int start(ByteBuf out, String type) {
        int entry = Boxes.start(out, type);
        out.writeZero(6); // reserved
        out.writeShort(DATA_REFERENCE_INDEX);
        return entry;
    }

    /** OutputChannelCount is byte 9 of an OpusHead and byte 1 of a dOps body. */
    private static int opusChannels(ByteBuf config) {
        boolean head = config.readableBytes() > 9 && config.getByte(config.readerIndex()) == 'O';
        return config.getUnsignedByte(config.readerIndex() + (head ? 9 : 1));
    }
}
