package io.meshlive.cluster.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared node list: one store read serves every caller until it is older than the max age. */
class RecentNodesTest {
    private final MemoryControlStore store = new MemoryControlStore();

    @AfterEach
    void close() {
        store.close();
    }

    private void beat(String id) throws Exception {
        store.heartbeat(new NodeInfo(id, "r", Set.of("edge"), Map.of("relay", "127.0.0.1:1"), new NodeLoad(0, 0, 0, 0, 0),
                System.currentTimeMillis(), List.of())).toCompletableFuture().get();
    }

    private static List<String> ids(RecentNodes nodes) throws Exception {
        return nodes.get().toCompletableFuture().get().stream().map(NodeInfo::id).sorted().toList();
    }

    @Test
    void aReadYoungerThanTheMaxAgeServesEveryCaller() throws Exception {
        RecentNodes nodes = new RecentNodes(store, 3_600_000);
        beat("a");
        assertThat(ids(nodes)).containsExactly("a");
        beat("b");
        assertThat(ids(nodes)).as("the first read, shared").containsExactly("a");
    }

    @Test
    void anOlderReadIsMadeAgain() throws Exception {
        RecentNodes nodes = new RecentNodes(store, 0);
        beat("a");
        assertThat(ids(nodes)).containsExactly("a");
        beat("b");
        assertThat(ids(nodes)).containsExactly("a", "b");
    }
}
