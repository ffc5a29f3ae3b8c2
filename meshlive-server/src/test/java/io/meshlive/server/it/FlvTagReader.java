package io.meshlive.server.it;

import io.meshlive.testkit.Hex;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads an FLV byte stream as a player does, checking the framing the server is responsible for:
 * the file header with PreviousTagSize0, and every tag's PreviousTagSize.
 */
final class FlvTagReader {
    static final int FILE_HEADER_LENGTH = 13;
    private static final int TAG_HEADER_LENGTH = 11;

    private final DataInputStream in;

    FlvTagReader(InputStream in) {
        this.in = new DataInputStream(in);
    }

    /**
     * Checks that {@code header} is the FLV file header (signature, version 1, header size 9)
     * followed by PreviousTagSize0 = 0, and returns its type flags (4 = audio, 1 = video).
     */
    static int checkFileHeader(byte[] header) throws IOException {
        byte[] expectedStart = {'F', 'L', 'V', 1};
        if (header.length != FILE_HEADER_LENGTH || !Arrays.equals(header, 0, 4, expectedStart, 0, 4)
                || readInt(header, 5) != 9 || readInt(header, 9) != 0) {
            throw new IOException("not an FLV file header + PreviousTagSize0: " + Hex.text(header));
        }
        return header[4];
    }

    /** Reads and checks the file header; returns its type flags. */
    int readFileHeader() throws IOException {
        byte[] header = new byte[FILE_HEADER_LENGTH];
        in.readFully(header);
        return checkFileHeader(header);
    }

    /** The next tag, or null when the stream ends between tags; an end inside a tag is an EOFException. */
    FlvTag next() throws IOException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        byte[] header = new byte[TAG_HEADER_LENGTH - 1];
        in.readFully(header);
        int size = readMedium(header, 0);
        long timestamp = readMedium(header, 3) | (header[6] & 0xFFL) << 24;
        byte[] data = new byte[size];
        in.readFully(data);
        int previousTagSize = in.readInt();
        if (previousTagSize != TAG_HEADER_LENGTH + size) {
            throw new IOException("tag of type " + type + " with " + size + " data bytes has PreviousTagSize "
                    + previousTagSize + ", expected " + (TAG_HEADER_LENGTH + size));
        }
        return new FlvTag(type & 0x1F, timestamp, data);
    }

    /** Parses a buffer that must hold exactly one tag and its PreviousTagSize (a WebSocket-FLV message). */
    static FlvTag parseOne(byte[] message) throws IOException {
        ByteArrayInputStream bytes = new ByteArrayInputStream(message);
        FlvTag tag = new FlvTagReader(bytes).next();
        if (tag == null || bytes.available() > 0) {
            throw new IOException("message of " + message.length + " bytes is not exactly one FLV tag: " + tag);
        }
        return tag;
    }

    private static int readMedium(byte[] b, int at) {
        return (b[at] & 0xFF) << 16 | (b[at + 1] & 0xFF) << 8 | b[at + 2] & 0xFF;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | readMedium(b, at + 1);
    }
}
