package io.meshlive.cluster.brain;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class QualityMapTest {
    private final Set<String> nodes = Set.of("a", "b", "c");
    private final QualityMap map = new QualityMap(0.25, 5_000, nodes::contains);

    @Test
    void measurementsAreSmoothed() {
        assertThat(map.report(new LinkReport("a", "b", 40, 2, 0, 1_000))).isTrue();
        assertThat(map.report(new LinkReport("a", "b", 80, 2, 0.04, 2_000))).isTrue();
        Link l = map.links(2_000).get(0);
        assertThat(l.rttMillis()).isEqualTo(50.0);
        assertThat(l.loss()).isEqualTo(0.01);
        assertThat(l.updatedMillis()).isEqualTo(2_000);
    }

    @Test
    void staleLinksDropOut() {
        map.report(new LinkReport("a", "b", 40, 2, 0, 1_000));
        map.report(new LinkReport("b", "c", 40, 2, 0, 4_000));
        assertThat(map.links(6_000)).hasSize(2);
        assertThat(map.links(6_001)).extracting(Link::from).containsExactly("b");
        assertThat(map.links(9_001)).isEmpty();
    }

    @Test
    void impossibleReportsAndUnknownNodesAreIgnored() {
        assertThat(map.report(new LinkReport("a", "b", -1, 0, 0, 1_000))).isFalse();
        assertThat(map.report(new LinkReport("a", "b", 10, 0, 1.5, 1_000))).isFalse();
        assertThat(map.report(new LinkReport("a", "b", Double.NaN, 0, 0, 1_000))).isFalse();
        assertThat(map.report(new LinkReport("a", "a", 10, 0, 0, 1_000))).isFalse();
        assertThat(map.report(new LinkReport("a", "zz", 10, 0, 0, 1_000))).isFalse();
        assertThat(map.report(new LinkReport("stranger", "a", 10, 0, 0, 1_000))).isFalse();
        assertThat(map.links(1_000)).isEmpty();
        assertThat(map.report(new LinkReport("a", "b", 10, 0, 0, 1_000))).isTrue();
        assertThat(map.links(1_000)).hasSize(1);
    }

    @Test
    void aNodeThatLeftTakesItsLinksWithIt() {
        map.report(new LinkReport("a", "b", 40, 2, 0, 1_000));
        map.report(new LinkReport("b", "c", 40, 2, 0, 1_000));
        map.report(new LinkReport("c", "a", 40, 2, 0, 1_000));
        map.forgetNode("a");
        assertThat(map.links(1_000)).extracting(Link::from).containsExactly("b");
    }
}
