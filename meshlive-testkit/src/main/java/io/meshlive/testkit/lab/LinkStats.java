package io.meshlive.testkit.lab;

import java.util.concurrent.atomic.AtomicLong;

/** What a link did, both directions together; read from any thread. */
public final class LinkStats {
    final AtomicLong packets = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong lost = new AtomicLong();
    final AtomicLong queueDrops = new AtomicLong();
    final AtomicLong stalls = new AtomicLong();
    final AtomicLong connections = new AtomicLong();

    void count(LinkShaper.Fate fate, int n) {
        switch (fate) {
            case LOST -> lost.incrementAndGet();
            case QUEUE_FULL -> queueDrops.incrementAndGet();
            case STALLED, SENT -> {
                if (fate == LinkShaper.Fate.STALLED) {
                    stalls.incrementAndGet();
                }
                packets.incrementAndGet();
                bytes.addAndGet(n);
            }
        }
    }

    /** Packets (UDP datagrams, TCP reads) forwarded. */
    public long packets() {
        return packets.get();
    }

    public long bytes() {
        return bytes.get();
    }

    /** UDP datagrams dropped as lost. */
    public long lost() {
        return lost.get();
    }

    /** UDP datagrams dropped because the bottleneck queue was full. */
    public long queueDrops() {
        return queueDrops.get();
    }

    /** TCP segments "lost", which arrived a retransmission timeout late instead. */
    public long stalls() {
        return stalls.get();
    }

    /** TCP connections accepted, or UDP flows (distinct client addresses) seen. */
    public long connections() {
        return connections.get();
    }

    @Override
    public String toString() {
        return "connections " + connections() + ", packets " + packets() + ", bytes " + bytes() + ", lost " + lost()
                + ", queue drops " + queueDrops() + ", tcp stalls " + stalls();
    }
}
