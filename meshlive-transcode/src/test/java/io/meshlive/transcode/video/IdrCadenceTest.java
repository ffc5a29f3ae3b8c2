package io.meshlive.transcode.video;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IdrCadenceTest {
    /** The indexes of the IDRs among {@code pictures} pictures, with the source's keyframes and requests at the given indexes. */
    private static List<Integer> idrs(IdrCadence cadence, int pictures, List<Integer> sourceKeyframes, List<Integer> requests) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < pictures; i++) {
            if (cadence.next(sourceKeyframes.contains(i), requests.contains(i))) {
                out.add(i);
            }
        }
        return out;
    }

    @Test
    void withoutAFixedGopTheSourcesKeyframesAndRequestsAreIdrs() {
        assertThat(idrs(new IdrCadence(0), 100, List.of(0, 60), List.of(75))).containsExactly(0, 60, 75);
    }

    @Test
    void aFixedGopIgnoresTheSourcesKeyframes() {
        assertThat(idrs(new IdrCadence(30), 100, List.of(0, 45), List.of())).containsExactly(0, 30, 60, 90);
    }

    @Test
    void aRequestedIdrStartsTheNextGop() {
        assertThat(idrs(new IdrCadence(30), 100, List.of(), List.of(40))).containsExactly(0, 30, 40, 70);
    }
}
