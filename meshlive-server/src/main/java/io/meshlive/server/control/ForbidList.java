package io.meshlive.server.control;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlive.core.AccessRequest;
import io.meshlive.core.Admission;
import io.meshlive.core.Hub;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Streams nobody may publish or play, with why and until when. A forbid cuts the stream's
 * publisher and viewers at once, refuses every later attempt, and is saved to the data directory
 * so a restart does not lift it.
 */
public final class ForbidList implements Admission {
    private static final Logger log = LoggerFactory.getLogger(ForbidList.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One forbidden stream; {@code expiresAtMillis} 0 means until lifted. */
    public record Entry(String app, String stream, String reason, long createdAtMillis, long expiresAtMillis) {
        StreamKey key() {
            return new StreamKey(app, stream);
        }

        boolean expired(long nowMillis) {
            return expiresAtMillis > 0 && nowMillis >= expiresAtMillis;
        }
    }

    private final Hub hub;
    private final Path file;
    private final ConcurrentHashMap<StreamKey, Entry> entries = new ConcurrentHashMap<>();

    /** Loads the saved list from {@code dataDir/forbidden.json}, if there is one. */
    public ForbidList(Hub hub, Path dataDir) throws IOException {
        this.hub = hub;
        this.file = dataDir.resolve("forbidden.json");
        if (Files.exists(file)) {
            List<Entry> saved = JSON.readValue(file.toFile(), new TypeReference<List<Entry>>() { });
            for (Entry e : saved) {
                entries.put(e.key(), e);
            }
            log.info("{} forbidden stream(s) loaded from {}", entries.size(), file);
        }
    }

    /**
     * Runs on event loops, so it only reads: an expired forbid no longer counts, and leaves the
     * file the next time an operator forbids or lifts something (off the I/O threads).
     */
    @Override
    public CompletionStage<Verdict> check(AccessRequest request) {
        Entry e = entries.get(request.stream());
        boolean live = e != null && !e.expired(System.currentTimeMillis());
        return CompletableFuture.completedFuture(live ? Verdict.deny("forbidden: " + e.reason()) : Verdict.ALLOW);
    }

    /** Forbids a stream and cuts whoever is on it now. */
    public synchronized Entry forbid(StreamKey key, String reason, long expiresAtMillis) {
        Entry e = new Entry(key.app(), key.name(), reason, System.currentTimeMillis(), expiresAtMillis);
        entries.put(key, e);
        save();
        Stream live = hub.streams().get(key);
        if (live != null) {
            live.terminate("forbidden: " + reason);
        }
        log.info("stream {} forbidden{}: {}", key, expiresAtMillis > 0 ? " until " + java.time.Instant.ofEpochMilli(expiresAtMillis) : "", reason);
        return e;
    }

    /** Lifts a forbid; false when the stream was not forbidden. */
    public synchronized boolean lift(StreamKey key) {
        boolean lifted = entries.remove(key) != null;
        if (lifted) {
            save();
            log.info("stream {} no longer forbidden", key);
        }
        return lifted;
    }

    public List<Entry> list() {
        long now = System.currentTimeMillis();
        List<Entry> live = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (!e.expired(now)) {
                live.add(e);
            }
        }
        live.sort((a, b) -> Long.compare(a.createdAtMillis(), b.createdAtMillis()));
        return live;
    }

    /** Writes the list atomically (temp file, then rename), so a crash never leaves half a file; expired forbids are dropped. */
    private synchronized void save() {
        long now = System.currentTimeMillis();
        entries.values().removeIf(e -> e.expired(now));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), new ArrayList<>(entries.values()));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.error("cannot save the forbid list to {}: {} (forbids hold until restart)", file, e.toString());
        }
    }
}
