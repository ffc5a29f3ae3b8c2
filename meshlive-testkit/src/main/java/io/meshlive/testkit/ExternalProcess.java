package io.meshlive.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A program the tests run but did not write (ffmpeg, ffprobe). Its stdout and stderr go to files
 * under {@code target/it-logs}, so a failing assertion can quote them and they are still there to
 * read after the build. Every wait is bounded, and {@link #close()} always kills the process:
 * use it in try-with-resources or an {@code @AfterEach}, so no run leaves an encoder behind.
 */
public final class ExternalProcess implements AutoCloseable {
    private static final Path LOGS = Path.of("target", "it-logs");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final int STDERR_TAIL_LINES = 25;
    /** Processes not yet closed, killed when the JVM exits in case a test could not close them (timeout, crash). */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "kill-external-processes"));
    }

    private final String name;
    private final List<String> command;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ExternalProcess(String name, List<String> command, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.command = command;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code command}; {@code name} labels its log files and failure messages. */
    public static ExternalProcess start(String name, List<String> command) {
        String label = name + "-" + SEQUENCE.incrementAndGet();
        try {
            Files.createDirectories(LOGS);
            Path out = LOGS.resolve(label + ".out");
            Path err = LOGS.resolve(label + ".err");
            Process p = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            RUNNING.add(p);
            return new ExternalProcess(label, List.copyOf(command), p, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to end and returns its exit code; fails the test if it runs past {@code limit}. */
    public int awaitExit(Duration limit) {
        if (!exitsWithin(limit)) {
            close();
            throw new AssertionError("still running after " + limit.toMillis() + " ms, killed: " + describe());
        }
        return process.exitValue();
    }

    /** Whether the process ends within {@code limit}; it is left running if not. */
    public boolean exitsWithin(Duration limit) {
        try {
            return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String stdout() {
        return read(stdout);
    }

    /** What the process wrote to stdout, byte for byte (decoded PCM, say). */
    public byte[] stdoutBytes() {
        try {
            return Files.readAllBytes(stdout);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + stdout, e);
        }
    }

    /**
     * Runs {@code command} to its end within {@code limit} and returns its stdout; fails the test,
     * quoting its stderr, when it exits non-zero or runs too long.
     */
    public static byte[] run(String name, List<String> command, Duration limit) {
        try (ExternalProcess p = start(name, command)) {
            int exit = p.awaitExit(limit);
            if (exit != 0) {
                throw new AssertionError("exit " + exit + ": " + p.describe());
            }
            return p.stdoutBytes();
        }
    }

    public String stderr() {
        return read(stderr);
    }

    /** Name, command line, exit status and the end of stderr: what a failure message needs. */
    public String describe() {
        String status = process.isAlive() ? "running" : "exit " + process.exitValue();
        List<String> lines = stderr().lines().toList();
        List<String> tail = new ArrayList<>(lines.subList(Math.max(0, lines.size() - STDERR_TAIL_LINES), lines.size()));
        return name + " (" + status + "): " + String.join(" ", command)
                + "\n--- stderr" + (lines.size() > tail.size() ? ", last " + tail.size() + " lines" : "")
                + " (" + stderr + ") ---\n" + String.join("\n", tail);
    }

    /** Kills the process (if it still runs) and waits a bounded time for it to go. Idempotent. */
    @Override
    public void close() {
        process.destroyForcibly();
        RUNNING.remove(process);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8); // lenient: tools print what they like
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
