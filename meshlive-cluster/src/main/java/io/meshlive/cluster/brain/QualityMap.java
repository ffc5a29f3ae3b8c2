package io.meshlive.cluster.brain;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The quality map: every directed link nodes have probed, each measurement smoothed with an EWMA
 * so one slow probe does not move routes. A link not refreshed for {@code staleAfterMillis} is out
 * of the map (its reporter stopped, or the link went dark). Reports that cannot be measurements
 * (negative RTT, loss above 1, an unknown node) are ignored, logged once per reporter until it
 * reports sensibly again. Reports arrive on the store's thread and the brain reads on its own.
 */
public final class QualityMap {
    private static final Logger log = LoggerFactory.getLogger(QualityMap.class);
    /** Reporters currently in the "already logged" state; more than this are simply not logged. */
    private static final int MAX_QUIET_REPORTERS = 10_000;

    private final double alpha;
    private final long staleAfterMillis;
    private final Predicate<String> knownNode;
    private final Map<String, Map<String, Link>> byFrom = new HashMap<>();
    private final Set<String> loggedReporters = new HashSet<>();

    /**
     * @param alpha            weight of a new measurement in the average, (0, 1]
     * @param staleAfterMillis a link older than this is out of the map
     * @param knownNode        which node ids may appear in a report (the live nodes)
     */
    public QualityMap(double alpha, long staleAfterMillis, Predicate<String> knownNode) {
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha " + alpha + ": allowed above 0 up to 1");
        }
        this.alpha = alpha;
        this.staleAfterMillis = staleAfterMillis;
        this.knownNode = knownNode;
    }

    /** Folds a report into its link; returns false (and logs once per reporter) when it was ignored. */
    public synchronized boolean report(LinkReport r) {
        String bad = r.impossibility();
        if (bad == null && !(knownNode.test(r.from()) && knownNode.test(r.to()))) {
            bad = "link " + r.from() + " -> " + r.to() + " names a node that is not in the cluster";
        }
        String reporter = String.valueOf(r.from());
        if (bad != null) {
            if (loggedReporters.size() < MAX_QUIET_REPORTERS && loggedReporters.add(reporter)) {
                log.warn("quality report from '{}' ignored: {} (further bad reports from it are not logged)",
                        truncate(reporter), bad);
            }
            return false;
        }
        loggedReporters.remove(reporter);
        Map<String, Link> out = byFrom.computeIfAbsent(r.from(), k -> new HashMap<>());
        Link old = out.get(r.to());
        if (old != null && r.atMillis() < old.updatedMillis()) {
            return true; // an older probe overtaken by a newer one: nothing to learn
        }
        Link next = old == null
                ? new Link(r.from(), r.to(), r.rttMillis(), r.jitterMillis(), r.loss(), r.atMillis())
                : new Link(r.from(), r.to(), smooth(old.rttMillis(), r.rttMillis()),
                        smooth(old.jitterMillis(), r.jitterMillis()), smooth(old.loss(), r.loss()), r.atMillis());
        out.put(r.to(), next);
        return true;
    }

    /** The link {@code from → to} as the map holds it now, or null. */
    public synchronized Link link(String from, String to) {
        Map<String, Link> out = byFrom.get(from);
        return out == null ? null : out.get(to);
    }

    /** Drops every link from or to {@code nodeId} (it left the cluster). */
    public synchronized void forgetNode(String nodeId) {
        byFrom.remove(nodeId);
        for (Map<String, Link> out : byFrom.values()) {
            out.remove(nodeId);
        }
    }

    /** The links fresh at {@code nowMillis}; stale ones are removed for good. */
    public synchronized List<Link> links(long nowMillis) {
        List<Link> fresh = new ArrayList<>();
        for (Map<String, Link> out : byFrom.values()) {
            out.values().removeIf(l -> l.ageMillis(nowMillis) > staleAfterMillis);
            fresh.addAll(out.values());
        }
        byFrom.values().removeIf(Map::isEmpty);
        return fresh;
    }

    private double smooth(double old, double sample) {
        return old + alpha * (sample - old);
    }

    private static String truncate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
