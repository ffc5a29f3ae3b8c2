package io.meshlive.server.record;

import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Where one recording file's bytes go. Used by the writer thread only. */
interface RecordOutput {
    /** Writes all of {@code bytes} (one write() as far as the OS allows); the buffer stays the caller's. */
    void write(ByteBuf bytes) throws IOException;

    /** Makes what was written durable (fsync). */
    void sync() throws IOException;

    void close() throws IOException;

    /** Creates a new file; fails if it exists, so no recording is ever overwritten. */
    @FunctionalInterface
    interface Opener {
        RecordOutput create(Path file) throws IOException;
    }

    /** Real files. */
    static RecordOutput createFile(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new RecordOutput() {
            @Override
            public void write(ByteBuf bytes) throws IOException {
                int at = bytes.readerIndex();
                int end = bytes.writerIndex();
                while (at < end) {
                    at += bytes.getBytes(at, channel, end - at);
                }
            }

            @Override
            public void sync() throws IOException {
                channel.force(false);
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }
}
