package io.meshlive.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** Every live session on this node, by id, for the API and for kicking. */
public final class SessionRegistry {
    private final ConcurrentHashMap<Long, Session> sessions = new ConcurrentHashMap<>();

    public void add(Session s) {
        sessions.put(s.id(), s);
    }

    public void remove(Session s) {
        sessions.remove(s.id(), s);
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
