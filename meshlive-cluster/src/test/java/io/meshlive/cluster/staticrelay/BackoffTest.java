package io.meshlive.cluster.staticrelay;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {
    @Test
    void doublesUpToTheCapAndStartsAgainAfterALongRun() {
        Backoff b = new Backoff(10_000);
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            waits.add(b.next(50));
        }
        assertThat(waits).containsExactly(1000L, 2000L, 4000L, 8000L, 10_000L, 10_000L);
        assertThat(b.next(10_000)).as("after a connection that lasted the cap").isEqualTo(1000L);
        assertThat(b.next(0)).isEqualTo(2000L);
    }

    @Test
    void specsNameTheFieldAtFaultAndHideQueryStrings() {
        RelaySpec push = RelaySpec.of(RelaySpec.Kind.PUSH, "rtmp://a.rtmp.youtube.com/live2/KEY?secret=1", "live", "show");
        assertThat(push.redactedUrl()).isEqualTo("rtmp://a.rtmp.youtube.com/live2/KEY?...");
        assertThat(RelaySpec.of(RelaySpec.Kind.PULL, "https://cdn.example/live/a.flv?t=1", "live", "a").key().name()).isEqualTo("a");
        assertThatThrownBy(() -> RelaySpec.of(RelaySpec.Kind.PULL, "rtmp://host/live/a", "live", "../etc"))
                .hasMessageStartingWith("app/stream: ");
        assertThatThrownBy(() -> RelaySpec.of(RelaySpec.Kind.PULL, "", "live", "a")).hasMessageStartingWith("url: required");
        assertThatThrownBy(() -> RelaySpec.of(RelaySpec.Kind.PULL, "rtmp://" + "h".repeat(3000) + "/a/b", "live", "a"))
                .hasMessageStartingWith("url: longer than");
    }
}
