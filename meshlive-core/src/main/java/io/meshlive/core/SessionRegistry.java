package io.meshlive.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** Every live session on this node, by id, for the API and for kicking. */
public final class SessionRegistry {
    private final ConcurrentHashMap<Long, Session> sessions = new ConcurrentHashMap<>();
    private volatile Consumer<Session> onEnded = s -> { };

    public void add(Session s) {
        sessions.put(s.id(), s);
    }

    /** Removes an ended session and tells the listener (webhooks, once), on the session's thread. */
    public void remove(Session s) {
        if (sessions.remove(s.id(), s)) {
            onEnded.accept(s);
        }
    }

    /** Who hears of each session's end; it must not block. */
    public void onEnded(Consumer<Session> listener) {
        this.onEnded = listener;
    }

    public Session get(long id) {
        return sessions.get(id);
    }

    public List<Session> all() {
        return new ArrayList<>(sessions.values());
    }

    public int size() {
        return sessions.size();
    }
}
