package io.meshlive.cluster.brain;

import io.meshlive.cluster.route.RoutePlanner;
import io.meshlive.cluster.store.NodeInfo;
import io.meshlive.core.StreamKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parents from the brain's latest decision for (stream, this node): the primary, then the disjoint
 * backup, then the static tree's parents as a last resort. With no decision for this node (the
 * brain has not seen its viewers yet, or no brain ever ran), or one made for another origin, the
 * static tree answers alone. A parent that is no longer a live node is skipped, logged once per
 * decision version (the brain's next version leaves it out).
 */
public final class BrainPlanner implements RoutePlanner {
    private static final Logger log = LoggerFactory.getLogger(BrainPlanner.class);

    private final DecisionBook book;
    private final RoutePlanner fallback;
    /** The decision version whose dead parent was last logged. */
    private volatile long loggedDeadParentVersion = -1;

    public BrainPlanner(DecisionBook book, RoutePlanner fallback) {
        this.book = book;
        this.fallback = fallback;
    }

    @Override
    public List<String> parents(StreamKey stream, String origin, List<NodeInfo> nodes, NodeInfo self) {
        List<String> tree = fallback.parents(stream, origin, nodes, self);
        Route r = book.route(stream.toString(), self.id());
        if (r == null || r.path().isEmpty() || !r.path().get(0).equals(origin)) {
            return tree;
        }
        Set<String> live = new HashSet<>();
        nodes.forEach(n -> live.add(n.id()));
        List<String> out = new ArrayList<>(2 + tree.size());
        for (String p : new String[]{r.primaryParent(), r.backupParent()}) {
            if (p == null || p.equals(self.id()) || out.contains(p)) {
                continue;
            }
            if (live.contains(p)) {
                out.add(p);
            } else {
                logDeadParent(stream, self.id(), p);
            }
        }
        for (String p : tree) {
            if (!out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    private void logDeadParent(StreamKey stream, String node, String parent) {
        long version = book.version();
        if (loggedDeadParentVersion != version) {
            loggedDeadParentVersion = version;
            log.info("decision version {} for {} on {} names parent {}, which is no longer a live node; skipping it"
                    + " (further ones in this version are not logged)", version, stream, node, parent);
        }
    }
}
