package io.meshlive.bench.publish;

import io.meshlive.media.flv.FlvReader;
import io.meshlive.media.flv.FlvTag;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An FLV file held in memory once, however many publishers send it, and what looping it needs:
 * how far timestamps move on per pass.
 */
final class FlvFile implements AutoCloseable {
    private final ByteBuf bytes;
    private final long loopMillis;

    private FlvFile(ByteBuf bytes, long loopMillis) {
        this.bytes = bytes;
        this.loopMillis = loopMillis;
    }

    /** Reads and checks the whole file; a file without audio or video frames is refused. */
    static FlvFile load(Path path) throws IOException {
        ByteBuf bytes = Unpooled.wrappedBuffer(Files.readAllBytes(path));
        try {
            long first = -1;
            long last = 0;
            long lastVideo = -1;
            long frameMillis = 0;
            long frames = 0;
            FlvReader reader = new FlvReader(bytes);
            for (FlvTag tag = reader.next(); tag != null; tag = reader.next()) {
                try {
                    long ts = tag.timestampMillis();
                    first = first < 0 ? ts : first;
                    last = Math.max(last, ts);
                    if (tag.type() == MediaTag.VIDEO) {
                        frameMillis = lastVideo >= 0 && ts > lastVideo ? ts - lastVideo : frameMillis;
                        lastVideo = ts;
                    }
                    if (tag.type() != MediaTag.DATA) {
                        frames++;
                    }
                } finally {
                    tag.release();
                }
            }
            if (frames == 0) {
                throw new IOException(path + " has no audio or video tags");
            }
            // One frame past the last, so the next pass starts where a next frame would have been.
            return new FlvFile(bytes, last - first + Math.max(1, frameMillis));
        } catch (IOException | RuntimeException e) {
            bytes.release();
            throw e instanceof IOException io ? io : new IOException(path + ": " + e.getMessage(), e);
        }
    }

    FlvReader reader() {
        return new FlvReader(bytes);
    }

    /** The file's duration plus one video frame: what each pass adds to the timestamps. */
    long loopMillis() {
        return loopMillis;
    }

    @Override
    public void close() {
        bytes.release();
    }
}
