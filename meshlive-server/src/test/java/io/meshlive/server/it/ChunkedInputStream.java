package io.meshlive.server.it;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body of an HTTP/1.1 response with {@code Transfer-Encoding: chunked}, de-chunked. A live
 * FLV response never sends the last chunk, the server just closes: that reads as the end of the
 * stream (-1), while a close inside a chunk is an {@link EOFException}.
 */
final class ChunkedInputStream extends InputStream {
    private static final int MAX_LINE = 1024;

    private final InputStream in;
    private long remaining;
    private boolean afterChunk;
    private boolean done;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (remaining == 0 && !nextChunk()) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException("connection closed inside a chunk, " + remaining + " bytes short");
        }
        remaining -= n;
        return n;
    }

    /** Reads the next chunk-size line; false at the last chunk or when the connection ends first. */
    private boolean nextChunk() throws IOException {
        if (done) {
            return false;
        }
        String line = readLine();
        if (afterChunk && line != null) {
            if (!line.isEmpty()) {
                throw new IOException("chunk data not followed by CRLF but by '" + line + "'");
            }
            line = readLine();
        }
        if (line == null) {
            done = true;
            return false;
        }
        int semicolon = line.indexOf(';');
        String size = (semicolon < 0 ? line : line.substring(0, semicolon)).strip();
        try {
            remaining = Long.parseLong(size, 16);
        } catch (NumberFormatException e) {
            throw new IOException("bad chunk size line '" + line + "'");
        }
        afterChunk = true;
        if (remaining == 0) {
            done = true; // the last chunk; trailers, if any, are of no interest
            return false;
        }
        return true;
    }

    /** A CRLF-terminated line without its terminator, or null if the stream ends before any byte. */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                if (line.length() == 0) {
                    return null;
                }
                throw new EOFException("connection closed inside chunk framing '" + line + "'");
            }
            if (line.length() > MAX_LINE) {
                throw new IOException("chunk framing line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) c);
        }
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
