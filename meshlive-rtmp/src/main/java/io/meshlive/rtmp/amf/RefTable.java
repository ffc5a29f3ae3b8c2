package io.meshlive.rtmp.amf;

import java.util.ArrayList;
import java.util.List;

/**
 * The complex values of one read call chain in the order they began, which is how AMF references
 * number them. Each entry remembers its expanded size and height so that a reference can be
 * charged as a copy (see {@link AmfInput}).
 *
 * <p>A reference to a container that is still being read is rejected: it would make the result
 * cyclic, and then {@code toString}, {@code hashCode} or re-encoding it would never finish.
 * Command and metadata encoders never produce such graphs.
 */
final class RefTable {
    private final List<Entry> entries = new ArrayList<>();

    /** Starts a container at {@code offset}; pass the result to {@link #close}. */
    int open(AmfInput in, int offset) {
        Entry entry = new Entry();
        entry.outerDeepest = in.enter(offset);
        entry.startSize = in.expandedSize();
        entries.add(entry);
        return entries.size() - 1;
    }

    <T> T close(int index, T value, AmfInput in) {
        Entry entry = entries.get(index);
        entry.height = in.leave(entry.outerDeepest);
        entry.weight = in.expandedSize() - entry.startSize;
        entry.value = value;
        return value;
    }

    /** Records a value that holds no other value (an AMF3 date, XML or byte array). */
    void add(Object value, long weight) {
        Entry entry = new Entry();
        entry.value = value;
        entry.weight = weight;
        entries.add(entry);
    }

    Object resolve(long index, AmfInput in, int offset) {
        if (index >= entries.size()) {
            throw new AmfException("reference " + index + " out of range (" + entries.size() + " values so far)", offset);
        }
        Entry entry = entries.get((int) index);
        if (entry.weight == Entry.OPEN) {
            throw new AmfException("reference " + index + " points to an enclosing value (a cycle)", offset);
        }
        in.reuse(entry.weight, entry.height, offset);
        return entry.value;
    }

    private static final class Entry {
        static final long OPEN = -1;

        Object value;
        long weight = OPEN;
        int height;
        long startSize;
        int outerDeepest;
    }
}
