package io.meshlive.server.it;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser player's latency from its page's samples: what the player reports ({@code latency})
 * and, independently, now minus the EXT-X-PROGRAM-DATE-TIME date of the frame on display
 * ({@code pdtLatency}, the date the prft box of the same part carries).
 */
final class PlayerLatency {
    private PlayerLatency() {
    }

    /** The median of a numeric field over the samples; fails when a sample lacks it. */
    static double median(List<JsonNode> samples, String field) {
        double[] values = samples.stream().mapToDouble(s -> {
            assertThat(s.path(field).isNumber()).as("%s reported: %s", field, s).isTrue();
            return s.path(field).asDouble();
        }).sorted().toArray();
        return (values[(values.length - 1) / 2] + values[values.length / 2]) / 2;
    }

    /** One line for the figures: the player's latency and the PDT's, side by side. */
    static void print(String player, double reported, double byDate) {
        System.out.printf("LL-HLS latency, %s: reported %.3f s, by PROGRAM-DATE-TIME against the wall clock %.3f s (difference %+.3f s)%n",
                player, reported, byDate, reported - byDate);
    }
}
