package io.meshlive.testkit.lab;

import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The timing of one direction of a link: when a packet handed in now arrives at the far end, or
 * that it is lost. The rate cap is a bottleneck that sends one packet after another (a packet
 * leaves when the one before has, plus its own serialisation time); then the propagation delay
 * and jitter are added. Not thread-safe: one per direction, used by one thread.
 *
 * <p>UDP: a packet is lost with the loss probability, or when the bottleneck queue already holds
 * {@code bufferBytes} (tail drop). TCP cannot lose bytes (the kernel retransmits), so a "lost"
 * segment becomes a stall instead: it and everything after it arrive one retransmission timeout
 * late ({@link #TCP_MIN_RTO_MILLIS} + a round trip, Linux's floor), and jitter never reorders
 * bytes. A TCP queue does not drop either; the forwarder stops reading instead (backpressure).
 */
final class LinkShaper {
    /** Linux's minimum retransmission timeout. */
    static final double TCP_MIN_RTO_MILLIS = 200;

    /** What happened to one packet. */
    enum Fate { SENT, LOST, QUEUE_FULL, STALLED }

    private final Supplier<LinkSpec> specs;
    private final boolean tcp;
    private final SplittableRandom random;
    private long bottleneckFreeAt;
    private long lastArrival;
    private Fate fate;

    LinkShaper(LinkSpec spec, boolean tcp, long seed) {
        this(() -> spec, tcp, seed);
    }

    /** With the spec asked for at every packet, so the link may change while traffic flows. */
    LinkShaper(Supplier<LinkSpec> specs, boolean tcp, long seed) {
        this.specs = specs;
        this.tcp = tcp;
        this.random = new SplittableRandom(seed);
    }

    /** The fate of the last {@link #arrival} call. */
    Fate fate() {
        return fate;
    }

    /** When {@code bytes} handed in at {@code now} (nanoTime) arrive, or -1 when they are lost (UDP only). */
    long arrival(int bytes, long now) {
        LinkSpec spec = specs.get();
        boolean lost = spec.lossPercent() > 0 && random.nextDouble() * 100 < spec.lossPercent();
        if (!tcp && lost) {
            fate = Fate.LOST;
            return -1;
        }
        long departure = now;
        if (spec.rateBitsPerSecond() > 0) {
            long start = Math.max(now, bottleneckFreeAt);
            long queuedBytes = (start - now) * spec.rateBitsPerSecond() / 8 / 1_000_000_000L;
            if (!tcp && queuedBytes + bytes > spec.bufferBytes()) {
                fate = Fate.QUEUE_FULL;
                return -1;
            }
            departure = start + bytes * 8L * 1_000_000_000L / spec.rateBitsPerSecond();
            bottleneckFreeAt = departure;
        }
        double jitter = spec.jitterMillis() > 0 ? (random.nextDouble() * 2 - 1) * spec.jitterMillis() : 0;
        double delay = Math.max(0, spec.delayMillis() + jitter);
        fate = Fate.SENT;
        if (tcp && lost) {
            delay += TCP_MIN_RTO_MILLIS + 2 * spec.delayMillis();
            fate = Fate.STALLED;
        }
        long arrival = departure + (long) (delay * 1_000_000);
        if (tcp) {
            arrival = Math.max(arrival, lastArrival); // bytes stay in order: a late segment holds back the rest
            lastArrival = arrival;
        }
        return arrival;
    }
}
