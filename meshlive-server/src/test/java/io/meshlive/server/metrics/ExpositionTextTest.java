package io.meshlive.server.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The validator must fail on what the spec forbids, or NodeMetricsTest proves nothing. */
class ExpositionTextTest {
    @Test
    void readsSummariesCountersAndEscapedLabels() {
        assertThat(ExpositionText.parse("""
                # HELP rpc_seconds Time per call
                # TYPE rpc_seconds summary
                rpc_seconds{quantile="0.5",path="a\\"b"} 0.1
                rpc_seconds_sum 3
                rpc_seconds_count 7
                # TYPE calls counter
                calls_total{b="2",a="1",} 5 1700000000000
                """))
                .containsEntry("rpc_seconds{path=\"a\\\"b\",quantile=\"0.5\"}", 0.1)
                .containsEntry("rpc_seconds_count", 7.0)
                .containsEntry("calls_total{a=\"1\",b=\"2\"}", 5.0);
    }

    @Test
    void rejectsWhatTheSpecForbids() {
        rejects("up 1\n", "no TYPE-declared family");
        rejects("# TYPE up gauge\nup 1\nup 2\n", "duplicate series");
        rejects("# TYPE up gauge\nup{1a=\"x\"} 1\n", "bad label name");
        rejects("# TYPE up gauge\nup{__x=\"x\"} 1\n", "reserved label name");
        rejects("# TYPE up gauge\nup{a=\"x\\t\"} 1\n", "bad escape");
        rejects("# TYPE up gauge\nup one\n", "bad value");
        rejects("# TYPE up gauge\nup 1", "line feed");
        rejects("# TYPE a gauge\n# TYPE b gauge\na 1\nb 1\na{x=\"1\"} 1\n", "not in one group");
        rejects("# TYPE up gauge\n# TYPE up counter\n", "second TYPE");
        rejects("# TYPE up gauge\nup_sum 1\n", "no TYPE-declared family");
    }

    private static void rejects(String text, String problem) {
        assertThatThrownBy(() -> ExpositionText.parse(text)).isInstanceOf(AssertionError.class).hasMessageContaining(problem);
    }
}
