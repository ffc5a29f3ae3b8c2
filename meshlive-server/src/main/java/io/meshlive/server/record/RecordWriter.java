package io.meshlive.server.record;

import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The node's one disk-writing thread for recordings: event loops hand it whole fragments and
 * never wait for the disk. What is queued is bounded in bytes, across all recordings; a fragment
 * that does not fit is refused and the recorder drops up to the next keyframe.
 *
 * <p>Each fragment is one write(), so a killed process leaves every fragment handed over so far
 * in the file (the page cache belongs to the kernel). fsync comes at the end of each file (a
 * split or the publisher leaving): syncing every fragment of every stream would cost a disk flush
 * per stream per second for nothing a process crash needs; a power cut can lose what the kernel
 * had not written back yet (about 30 s by default) of the open files.
 */
final class RecordWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RecordWriter.class);
    /** Attempts at a free name ({@code name-2.flv}...) when the template's name is taken. */
    private static final int NAME_ATTEMPTS = 100;

    private final long budgetBytes;
    private final RecordOutput.Opener opener;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "meshlive-record");
        t.setDaemon(true);
        return t;
    });

    RecordWriter(long budgetBytes, RecordOutput.Opener opener) {
        this.budgetBytes = budgetBytes;
        this.opener = opener;
    }

    /** Bytes handed over and not yet written. */
    long queuedBytes() {
        return queuedBytes.get();
    }

    /** Creates the file and writes its header (ftyp+moov, or the FLV header and configs). Takes the buffer. */
    void open(RecordFile file, ByteBuf header) {
        queuedBytes.addAndGet(header.readableBytes()); // counted, never refused: a file without its header is useless
        run(header, () -> {
            try {
                Files.createDirectories(file.wanted().getParent());
                file.output = create(file);
                write(file, header);
            } catch (IOException | RuntimeException e) {
                fail(file, e);
            }
        });
    }

    /** Queues a fragment; false when the queue is over its budget (the bytes are then released). Takes the buffer. */
    boolean append(RecordFile file, ByteBuf bytes) {
        long size = bytes.readableBytes();
        if (queuedBytes.addAndGet(size) > budgetBytes) {
            queuedBytes.addAndGet(-size);
            bytes.release();
            return false;
        }
        return run(bytes, () -> {
            try {
                if (file.output != null) {
                    write(file, bytes);
                }
            } catch (IOException | RuntimeException e) {
                fail(file, e);
            }
        });
    }

    /** Syncs and closes the file, then hands it to {@code closed} on this writer's thread. */
    void close(RecordFile file, Consumer<RecordFile> closed) {
        run(null, () -> {
            if (file.output != null) {
                try {
                    file.output.sync();
                    file.output.close();
                } catch (IOException | RuntimeException e) {
                    fail(file, e);
                }
                file.output = null;
            }
            closed.accept(file);
        });
    }

    /** Runs a task on the writer thread, then uncounts and releases its buffer; false when the writer is closed. */
    private boolean run(ByteBuf bytes, Runnable task) {
        Queued queued = new Queued(bytes, task);
        try {
            thread.execute(queued);
            return true;
        } catch (RejectedExecutionException closed) {
            queued.done();
            return false;
        }
    }

    /** A task and the buffer it writes, which is uncounted and released once, whether the task ran or not. */
    private final class Queued implements Runnable {
        private final ByteBuf bytes;
        private final long size;
        private final Runnable task;

        Queued(ByteBuf bytes, Runnable task) {
            this.bytes = bytes;
            this.size = bytes == null ? 0 : bytes.readableBytes();
            this.task = task;
        }

        @Override
        public void run() {
            try {
                task.run();
            } finally {
                done();
            }
        }

        void done() {
            if (bytes != null) {
                queuedBytes.addAndGet(-size);
                bytes.release();
            }
        }
    }

    private RecordOutput create(RecordFile file) throws IOException {
        Path wanted = file.wanted();
        String name = wanted.getFileName().toString();
        int dot = name.lastIndexOf('.');
        for (int n = 1; ; n++) {
            Path candidate = n == 1 ? wanted
                    : wanted.resolveSibling(dot < 0 ? name + "-" + n : name.substring(0, dot) + "-" + n + name.substring(dot));
            try {
                RecordOutput out = opener.create(candidate);
                file.created(candidate);
                return out;
            } catch (FileAlreadyExistsException taken) {
                if (n == NAME_ATTEMPTS) {
                    throw taken;
                }
            }
        }
    }

    private static void write(RecordFile file, ByteBuf bytes) throws IOException {
        int size = bytes.readableBytes();
        file.output.write(bytes);
        file.wrote(size);
    }

    /**
     * Stops writing this file, once. The recorder sees the error at its next frame and stops the
     * recording; closing the file then reports it (an ERROR line and on_record with the error).
     */
    private static void fail(RecordFile file, Exception e) {
        if (file.error() != null) {
            return;
        }
        file.failed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage());
        if (file.output != null) {
            try {
                file.output.close();
            } catch (IOException ignored) {
                // already failing; the first error is the one reported
            }
            file.output = null;
        }
    }

    /** Writes what is queued (bounded wait), then stops the thread. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("recordings: {} bytes still queued after 10 s at shutdown, dropped", queuedBytes.get());
                for (Runnable never : thread.shutdownNow()) {
                    ((Queued) never).done();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
