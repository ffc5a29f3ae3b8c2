package io.meshlive.server.record;

import io.meshlive.core.StreamKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer thread against real files, and against a disk that fills up under it. */
class RecordWriterTest {
    private static final StreamKey KEY = new StreamKey("live", "w");
    @TempDir
    Path dir;

    private RecordFile file(String name) {
        return new RecordFile(KEY, RecordFormat.FLV, "api", dir.resolve("live/w").resolve(name), System.currentTimeMillis());
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.directBuffer().writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static RecordFile closed(RecordWriter writer, RecordFile f) throws Exception {
        CompletableFuture<RecordFile> done = new CompletableFuture<>();
        writer.close(f, done::complete);
        return done.get(5, TimeUnit.SECONDS);
    }

    @Test
    void writesEveryFragmentInOrderAndNeverOverwritesAFile() throws Exception {
        Files.createDirectories(dir.resolve("live/w"));
        Files.writeString(dir.resolve("live/w/a.flv"), "older recording");
        try (RecordWriter writer = new RecordWriter(1 << 20, RecordOutput::createFile)) {
            RecordFile f = file("a.flv");
            writer.open(f, bytes("head|"));
            assertThat(writer.append(f, bytes("one|"))).isTrue();
            assertThat(writer.append(f, bytes("two"))).isTrue();
            closed(writer, f);
            assertThat(f.path()).isEqualTo(dir.resolve("live/w/a-2.flv"));
            assertThat(Files.readString(f.path())).isEqualTo("head|one|two");
            assertThat(f.bytes()).isEqualTo(12);
            assertThat(f.error()).isNull();
            assertThat(Files.readString(dir.resolve("live/w/a.flv"))).isEqualTo("older recording");
        }
    }

    @Test
    void aFullDiskStopsTheFileAndReleasesWhatFollows() throws Exception {
        // The third write finds the disk full, as write(2) with ENOSPC would.
        RecordOutput.Opener fillsUp = path -> {
            RecordOutput real = RecordOutput.createFile(path);
            return new RecordOutput() {
                int writes;

                @Override
                public void write(ByteBuf b) throws IOException {
                    if (++writes == 3) {
                        throw new IOException("No space left on device");
                    }
                    real.write(b);
                }

                @Override
                public void sync() throws IOException {
                    real.sync();
                }

                @Override
                public void close() throws IOException {
                    real.close();
                }
            };
        };
        try (RecordWriter writer = new RecordWriter(1 << 20, fillsUp)) {
            RecordFile f = file("full.flv");
            writer.open(f, bytes("head|"));
            ByteBuf[] fragments = {bytes("one|"), bytes("two|"), bytes("three")};
            for (ByteBuf b : fragments) {
                assertThat(writer.append(f, b)).isTrue();
            }
            RecordFile reported = closed(writer, f);
            assertThat(reported.error()).isEqualTo("IOException: No space left on device");
            assertThat(Files.readString(f.path())).as("what was written before stays").isEqualTo("head|one|");
            assertThat(f.bytes()).isEqualTo(9);
            assertThat(fragments).allMatch(b -> b.refCnt() == 0);
            assertThat(writer.queuedBytes()).isZero();
        }
    }

    @Test
    void aFullQueueRefusesAFragmentInsteadOfWaiting() throws Exception {
        CountDownLatch diskStalls = new CountDownLatch(1);
        RecordOutput.Opener slow = path -> {
            try {
                diskStalls.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return RecordOutput.createFile(path);
        };
        try (RecordWriter writer = new RecordWriter(1 << 20, slow)) {
            RecordFile f = file("slow.flv");
            writer.open(f, bytes("head|"));
            assertThat(writer.append(f, Unpooled.directBuffer(700_000).writerIndex(700_000))).isTrue();
            ByteBuf refused = Unpooled.directBuffer(700_000).writerIndex(700_000);
            assertThat(writer.append(f, refused)).as("past the 1 MiB budget").isFalse();
            assertThat(refused.refCnt()).isZero();
            diskStalls.countDown();
            closed(writer, f);
            assertThat(Files.size(f.path())).isEqualTo(5 + 700_000);
        }
    }
}
