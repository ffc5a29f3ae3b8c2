package io.meshlive.server.snapshot;

import io.meshlive.core.StreamKey;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The snapshot files of each stream: {@code <root>/{app}/{stream}/{yyyyMMdd-HHmmss}.jpg}, UTC,
 * so names sort by time; the oldest go when there are more than {@code keep}.
 */
final class SnapshotFiles {
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final String SUFFIX = ".jpg";

    private final Path root;
    private final int keep;

    SnapshotFiles(Path root, int keep) {
        this.root = root;
        this.keep = keep;
    }

    /** Writes {@code jpeg} as the stream's picture taken at {@code time} and drops the oldest beyond the cap; returns the file. */
    Path write(StreamKey key, Instant time, byte[] jpeg) throws IOException {
        Path dir = root.resolve(key.app()).resolve(key.name());
        Files.createDirectories(dir);
        Path file = dir.resolve(NAME.format(time) + SUFFIX);
        // Written aside and moved into place, so a reviewer's tool never reads half a picture.
        Path partial = dir.resolve(file.getFileName() + ".part");
        Files.write(partial, jpeg);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        prune(dir);
        return file;
    }

    private void prune(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            all.forEach(files::add);
        }
        if (files.size() <= keep) {
            return;
        }
        Collections.sort(files);
        for (Path old : files.subList(0, files.size() - keep)) {
            Files.deleteIfExists(old);
        }
    }
}
