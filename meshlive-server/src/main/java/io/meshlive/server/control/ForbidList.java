package io.meshlive.server.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlive.cluster.ForbidSync;
import io.meshlive.cluster.store.ControlStore;
import io.meshlive.cluster.store.Forbid;
import io.meshlive.cluster.store.StoreUnavailableException;
import io.meshlive.cluster.store.Versioned;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Streams nobody may publish or play, with why and until when: this node's copy of the cluster's
 * forbid list. Forbids and lifts go through the control store ({@link ForbidSync}), so they reach
 * every node; every list the store hands over cuts the publishers and viewers it forbids here,
 * refuses every later attempt, and is saved to {@code dataDir/forbidden.json} with its version, so
 * neither a restart of this node nor a store that lost its data lifts a forbid.
 */
public final class ForbidList implements Admission, ForbidSync.LocalCopy {
    private static final Logger log = LoggerFactory.getLogger(ForbidList.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** An API call waits this long for the store (its own timeout is shorter). */
    private static final long WRITE_TIMEOUT_SECONDS = 5;

    /** One forbidden stream; {@code expiresAtMillis} 0 means until lifted. */
    public record Entry(String app, String stream, String reason, long createdAtMillis, long expiresAtMillis) {
        StreamKey key() {
            return new StreamKey(app, stream);
        }

        boolean expired(long nowMillis) {
            return expiresAtMillis > 0 && nowMillis >= expiresAtMillis;
        }

        Forbid forbid() {
            return new Forbid(key(), reason, createdAtMillis, expiresAtMillis);
        }

        static Entry of(Forbid f) {
            return new Entry(f.stream().app(), f.stream().name(), f.reason(), f.createdAtMillis(), f.expiresAtMillis());
        }
    }

    private final Hub hub;
    private final Path file;
    private final ForbidSync sync;
    /** Replaced whole by each newer list; read by admission checks on event loops. */
    private volatile Map<StreamKey, Entry> entries = Map.of();
    private volatile long version;

    /** Loads the saved copy from {@code dataDir/forbidden.json}, if there is one. */
    public ForbidList(Hub hub, Path dataDir, ControlStore store) throws IOException {
        this.hub = hub;
        this.file = dataDir.resolve("forbidden.json");
        if (Files.exists(file)) {
            JsonNode saved = JSON.readTree(file.toFile());
            // Before the cluster the file was a bare array (no version): any version above an empty store's.
            JsonNode list = saved.isArray() ? saved : saved.path("forbidden");
            Map<StreamKey, Entry> loaded = new LinkedHashMap<>();
            for (JsonNode n : list) {
                Entry e = JSON.treeToValue(n, Entry.class);
                loaded.put(e.key(), e);
            }
            this.entries = Map.copyOf(loaded);
            this.version = saved.isArray() ? (loaded.isEmpty() ? 0 : 1) : saved.path("version").asLong();
            log.info("{} forbidden stream(s) loaded from {} (version {})", loaded.size(), file, version);
        }
        this.sync = new ForbidSync(store, this);
    }

    /** What keeps this copy and the store's the same; the cluster node runs it every second. */
    public ForbidSync sync() {
        return sync;
    }

    /** Runs on event loops, so it only reads: an expired forbid no longer counts. */
    @Override
    public CompletionStage<Verdict> check(AccessRequest request) {
        Entry e = entries.get(request.stream());
        boolean live = e != null && !e.expired(System.currentTimeMillis());
        return CompletableFuture.completedFuture(live ? Verdict.deny("forbidden: " + e.reason()) : Verdict.ALLOW);
    }

    /**
     * Forbids a stream on every node (through the store) and returns once this node has cut it;
     * on the API thread.
     *
     * @throws StoreUnavailableException when the store cannot take it (nothing changed anywhere)
     */
    public Entry forbid(StreamKey key, String reason, long expiresAtMillis) {
        Entry e = new Entry(key.app(), key.name(), reason, System.currentTimeMillis(), expiresAtMillis);
        await(sync.forbid(e.forbid()));
        return e;
    }

    /**
     * Lifts a forbid on every node; false when the stream was not forbidden.
     *
     * @throws StoreUnavailableException when the store cannot take it
     */
    public boolean lift(StreamKey key) {
        return await(sync.lift(key)).isPresent();
    }

    private static <T> T await(CompletionStage<T> write) {
        return StoreWait.get(write, WRITE_TIMEOUT_SECONDS, "changing the forbid list");
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

    /** The version of the store's list this copy is. */
    public long version() {
        return version;
    }

    @Override
    public Versioned<List<Forbid>> copy() {
        synchronized (this) {
            List<Forbid> out = new ArrayList<>();
            entries.values().forEach(e -> out.add(e.forbid()));
            return new Versioned<>(version, out);
        }
    }

    /** Takes a newer list from the store: saves it, logs what changed, and cuts every live stream it forbids. */
    @Override
    public void apply(Versioned<List<Forbid>> list) {
        Map<StreamKey, Entry> before;
        Map<StreamKey, Entry> after = new HashMap<>();
        synchronized (this) {
            if (list.version() <= version) {
                return;
            }
            list.value().forEach(f -> after.put(f.stream(), Entry.of(f)));
            before = entries;
            entries = Map.copyOf(after);
            version = list.version();
            save();
        }
        long now = System.currentTimeMillis();
        for (Entry e : after.values()) {
            if (!before.containsKey(e.key())) {
                log.info("stream {} forbidden{}: {}", e.key(), e.expiresAtMillis() > 0 ? " until " + java.time.Instant.ofEpochMilli(e.expiresAtMillis()) : "", e.reason());
            }
            Stream live = hub.streams().get(e.key());
            if (live != null && !e.expired(now)) {
                live.terminate("forbidden: " + e.reason());
            }
        }
        for (StreamKey k : before.keySet()) {
            if (!after.containsKey(k)) {
                log.info("stream {} no longer forbidden", k);
            }
        }
    }

    /** Writes the copy atomically (temp file, then rename), so a crash never leaves half a file. */
    private void save() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", version);
        doc.put("forbidden", new ArrayList<>(entries.values()));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), doc);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.error("cannot save the forbid list to {}: {} (forbids hold until restart)", file, e.toString());
        }
    }
}
