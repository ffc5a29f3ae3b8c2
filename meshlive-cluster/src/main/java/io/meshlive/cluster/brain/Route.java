package io.meshlive.cluster.brain;

import java.util.List;

/**
 * The decision for one (stream, node): where the node pulls the stream from, where it goes at once
 * when that parent fails, and the whole path from the origin.
 *
 * @param path          origin first, this node last; a node that is the origin has a path of one
 * @param primaryParent the node before this one on {@code path}, null on the origin
 * @param backupParent  a parent whose own path shares no node with {@code path} between the origin
 *                      and this node; null when the map offers none
 * @param backupPath    that backup path (origin first, this node last), empty without a backup
 * @param costMs        the path's cost when it was chosen
 */
public record Route(String stream, String node, List<String> path, String primaryParent, String backupParent,
                    List<String> backupPath, double costMs) {

    public int hops() {
        return path.size() - 1;
    }

    public boolean passesThrough(String nodeId) {
        return path.contains(nodeId) || backupPath.contains(nodeId);
    }
}
