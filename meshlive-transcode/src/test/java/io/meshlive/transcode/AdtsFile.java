package io.meshlive.transcode;

import io.meshlive.media.aac.AacConfig;
import io.meshlive.media.aac.Adts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.List;

/** An ADTS stream as the hub carries AAC: the AudioSpecificConfig once, then raw access units. */
record AdtsFile(AacConfig config, byte[] audioSpecificConfig, List<byte[]> accessUnits) {
    /** Splits {@code adts} (frames without CRC, as ffmpeg writes them) at each header's frame_length. */
    static AdtsFile parse(byte[] adts) {
        byte[] asc = audioSpecificConfig(adts);
        AacConfig config = AacConfig.parse(Unpooled.wrappedBuffer(asc));
        ByteBuf in = Unpooled.wrappedBuffer(adts);
        List<byte[]> units = new ArrayList<>();
        while (in.readableBytes() >= Adts.HEADER_LENGTH) {
            int at = in.readerIndex();
            int frameLength = (in.getUnsignedByte(at + 3) & 3) << 11 | in.getUnsignedByte(at + 4) << 3
                    | in.getUnsignedByte(at + 5) >> 5;
            byte[] unit = new byte[frameLength - Adts.HEADER_LENGTH];
            in.getBytes(at + Adts.HEADER_LENGTH, unit);
            units.add(unit);
            in.skipBytes(frameLength);
        }
        return new AdtsFile(config, asc, units);
    }

    /** The two-byte AudioSpecificConfig the first header stands for: its profile, rate index and channels, moved. */
    private static byte[] audioSpecificConfig(byte[] adts) {
        int profile = (adts[2] & 0xFF) >> 6;
        int rateIndex = adts[2] >> 2 & 0x0F;
        int channels = (adts[2] & 1) << 2 | (adts[3] & 0xFF) >> 6;
        int bits = (profile + 1) << 11 | rateIndex << 7 | channels << 3;
        return new byte[] {(byte) (bits >> 8), (byte) bits};
    }

    /** Raw access units, each behind its ADTS header, as a .aac file ffmpeg reads. */
    static byte[] write(AacConfig config, List<byte[]> units) {
        ByteBuf out = Unpooled.buffer();
        for (byte[] unit : units) {
            Adts.writeHeader(config, unit.length, out);
            out.writeBytes(unit);
        }
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    /** Microseconds per access unit. */
    long frameMicros() {
        return 1024 * 1_000_000L / config.sampleRate();
    }
}
