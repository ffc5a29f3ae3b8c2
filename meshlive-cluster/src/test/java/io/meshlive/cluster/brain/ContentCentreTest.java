package io.meshlive.cluster.brain;

import io.meshlive.cluster.store.CarriedStream;
import io.meshlive.cluster.store.NodeInfo;
import io.meshlive.cluster.store.NodeLoad;
import io.meshlive.cluster.store.StreamOrigin;
import io.meshlive.core.StreamKey;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ContentCentreTest {
    private static NodeInfo node(String id, CarriedStream... carried) {
        return new NodeInfo(id, "r", Set.of("edge"), Map.of(), new NodeLoad(0, 0, 1_000_000_000L, 0, 0), 0, List.of(carried));
    }

    @Test
    void buildsOneModelFromOriginsAndWhatNodesCarry() {
        ContentCentre c = ContentCentre.fromStore(
                List.of(new StreamOrigin(new StreamKey("live", "a"), "o", 1)),
                List.of(node("o", new CarriedStream("live/a", null, 2, 0, 0, 0)),
                        node("e1", new CarriedStream("live/a", "o", 5, 0, 0, 0)),
                        node("e2", new CarriedStream("live/a", "e1", 0, 0, 0, 0), new CarriedStream("live/gone", "x", 9, 0, 0, 0))),
                stream -> 2_500_000);
        assertThat(c.streams()).containsExactly(new LiveStream("live/a", "o", 2_500_000));
        assertThat(c.viewers("live/a")).containsOnly(Map.entry("o", 2), Map.entry("e1", 5));
        assertThat(c.carriers("live/a")).containsExactlyInAnyOrder("o", "e1", "e2");
        assertThat(c.stream("live/gone")).isNull();

        c.nodeGone("e1");
        assertThat(c.carriers("live/a")).containsExactlyInAnyOrder("o", "e2");
        c.nodeGone("o");
        assertThat(c.streams()).isEmpty();
        assertThat(c.carriers("live/a")).isEmpty();
    }
}
