package io.meshlive.hls.playlist;

import io.meshlive.media.cue.Cue;
import io.meshlive.media.cue.CueJson;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class CueDateRangeTest {
    private static final long START = 1_767_225_600_250L; // 2026-01-01T00:00:00.250Z

    @Test
    void anOrdinaryCueHasOurClassAndItsJsonInBase64() {
        Cue cue = new Cue("5", "product", "{\"name\":\"\\\"Tee\\\"\"}", 1_000_000, 0, 5000, true, false);
        String line = CueDateRange.line(cue, START);
        String b64 = Base64.getEncoder().encodeToString(CueJson.of(cue).getBytes(StandardCharsets.UTF_8));
        assertThat(line).isEqualTo("#EXT-X-DATERANGE:ID=\"cue-5\",CLASS=\"io.meshlive.cue\",START-DATE=\"2026-01-01T00:00:00.250Z\""
                + ",DURATION=5.000,X-KIND=\"product\",X-CUE=\"" + b64 + "\"\n");
    }

    @Test
    void scte35CuesGoOutAsScte35OutOrIn() {
        Cue out = new Cue("6", "scte35", "{\"splice\":\"fc3011\",\"out\":true}", 0, 0, 30_000, false, false);
        assertThat(CueDateRange.line(out, START)).isEqualTo(
                "#EXT-X-DATERANGE:ID=\"cue-6\",START-DATE=\"2026-01-01T00:00:00.250Z\",DURATION=30.000,SCTE35-OUT=0xFC3011\n");
        Cue in = new Cue("7", "scte35", "{\"splice\":\"/DAR\",\"out\":false}", 0, 0, 0, false, false);
        assertThat(CueDateRange.line(in, START)).isEqualTo(
                "#EXT-X-DATERANGE:ID=\"cue-7\",START-DATE=\"2026-01-01T00:00:00.250Z\",SCTE35-IN=0xFC3011\n");
    }
}
