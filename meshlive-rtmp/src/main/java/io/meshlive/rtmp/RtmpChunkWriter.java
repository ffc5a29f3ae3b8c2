package io.meshlive.rtmp;

import io.netty.buffer.ByteBuf;

/**
 * Splits a message into chunks: a type-0 header on the first chunk and type-3 headers on the rest.
 * Type 0 everywhere keeps the bytes independent of what was sent before on the chunk stream, so
 * one encoding of a media message serves every viewer whatever it skipped.
 */
public final class RtmpChunkWriter {
    private RtmpChunkWriter() {
    }

    /** Bytes needed for {@link #write} of a {@code length}-byte message. */
    public static int encodedLength(int csid, long timestamp, int length, int chunkSize) {
        int basic = basicHeaderLength(csid);
        int ext = extended(timestamp) ? 4 : 0;
        int chunks = Math.max(1, (length + chunkSize - 1) / chunkSize);
        return basic + 11 + ext + (chunks - 1) * (basic + ext) + length;
    }

    /** Writes the message {@code payload}'s readable bytes as chunks; does not consume the payload. */
    public static void write(ByteBuf out, int csid, int typeId, int streamId, long timestamp,
                             ByteBuf payload, int chunkSize) {
        int length = payload.readableBytes();
        long ts = timestamp & 0xFFFFFFFFL;
        boolean ext = extended(ts);
        writeBasicHeader(out, 0, csid);
        out.writeMedium(ext ? 0xFFFFFF : (int) ts);
        out.writeMedium(length);
        out.writeByte(typeId);
        out.writeIntLE(streamId);
        if (ext) {
            out.writeInt((int) ts);
        }
        int from = payload.readerIndex();
        int end = from + length;
        int n = Math.min(chunkSize, length);
        out.writeBytes(payload, from, n);
        for (int at = from + n; at < end; at += n) {
            writeBasicHeader(out, 3, csid);
            if (ext) {
                out.writeInt((int) ts);
            }
            n = Math.min(chunkSize, end - at);
            out.writeBytes(payload, at, n);
        }
    }

    private static boolean extended(long timestamp) {
        return (timestamp & 0xFFFFFFFFL) >= 0xFFFFFF;
    }

    private static int basicHeaderLength(int csid) {
        return csid < 64 ? 1 : csid < 320 ? 2 : 3;
    }

    private static void writeBasicHeader(ByteBuf out, int fmt, int csid) {
        if (csid < 2 || csid > 65599) {
            throw new IllegalArgumentException("chunk stream id out of range: " + csid);
        }
        if (csid < 64) {
            out.writeByte(fmt << 6 | csid);
        } else if (csid < 320) {
            out.writeByte(fmt << 6);
            out.writeByte(csid - 64);
        } else {
            out.writeByte(fmt << 6 | 1);
            out.writeShortLE(csid - 64);
        }
    }
}
