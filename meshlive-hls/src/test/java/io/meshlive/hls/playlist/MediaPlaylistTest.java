package io.meshlive.hls.playlist;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MediaPlaylistTest {
    /** 2026-11-21T07:00:00.000Z */
    private static final long T0 = 1_795_244_400_000L;

    private static Segment ll(long msn, int parts, boolean complete) {
        List<Part> list = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            list.add(new Part(0.2, i == 0, "part-" + msn + "." + i + ".m4s"));
        }
        return new Segment(msn, complete ? 0.2 * parts : 0, complete ? "seg-" + msn + ".m4s" : null,
                T0 + (msn - 10) * 1000, false, list);
    }

    @Test
    void classicPlaylistListsWholeSegments() {
        List<Segment> window = List.of(
                new Segment(7, 2.0, "seg-7.ts", T0, false, List.of()),
                new Segment(8, 2.0, "seg-8.ts", T0 + 2000, false, List.of()),
                new Segment(9, 1.5, "seg-9.ts", T0 + 4000, true, List.of()));
        assertThat(MediaPlaylist.write(new MediaPlaylist.Layout(2, 0, null, 3), window, 3, null, false)).isEqualTo("""
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-TARGETDURATION:2
                #EXT-X-MEDIA-SEQUENCE:7
                #EXT-X-DISCONTINUITY-SEQUENCE:3
                #EXT-X-PROGRAM-DATE-TIME:2026-11-21T07:00:00.000Z
                #EXTINF:2.000,
                seg-7.ts
                #EXT-X-PROGRAM-DATE-TIME:2026-11-21T07:00:02.000Z
                #EXTINF:2.000,
                seg-8.ts
                #EXT-X-DISCONTINUITY
                #EXT-X-PROGRAM-DATE-TIME:2026-11-21T07:00:04.000Z
                #EXTINF:1.500,
                seg-9.ts
                """);
    }

    @Test
    void lowLatencyPlaylistListsRecentPartsTheSegmentInProgressAndAPreloadHint() {
        List<Segment> window = List.of(ll(10, 5, true), ll(11, 5, true), ll(12, 5, true), ll(13, 5, true), ll(14, 2, false));
        String text = MediaPlaylist.write(new MediaPlaylist.Layout(1, 0.2, "init.mp4", 3), window, 0, "part-14.2.m4s", false);
        assertThat(text).startsWith("""
                #EXTM3U
                #EXT-X-VERSION:6
                #EXT-X-TARGETDURATION:1
                #EXT-X-PART-INF:PART-TARGET=0.200
                #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.600,CAN-SKIP-UNTIL=6.000
                #EXT-X-MEDIA-SEQUENCE:10
                #EXT-X-MAP:URI="init.mp4"
                #EXT-X-PROGRAM-DATE-TIME:2026-11-21T07:00:00.000Z
                #EXTINF:1.000,
                seg-10.m4s
                #EXT-X-PROGRAM-DATE-TIME:2026-11-21T07:00:01.000Z
                #EXT-X-PART:DURATION=0.200,URI="part-11.0.m4s",INDEPENDENT=YES
                #EXT-X-PART:DURATION=0.200,URI="part-11.1.m4s"
                """);
        assertThat(text).endsWith("""
                #EXTINF:1.000,
                seg-13.m4s
                #EXT-X-PROGRAM-DATE-TIME:2026-11-21T07:00:04.000Z
                #EXT-X-PART:DURATION=0.200,URI="part-14.0.m4s",INDEPENDENT=YES
                #EXT-X-PART:DURATION=0.200,URI="part-14.1.m4s"
                #EXT-X-PRELOAD-HINT:TYPE=PART,URI="part-14.2.m4s"
                """);
        // Parts of the last three target durations are listed (segments 11 to 13), not segment 10's.
        assertThat(text).doesNotContain("part-10.").contains("part-12.4.m4s");
    }

    @Test
    void partHoldBackIsConfigurableButNeverBelowTheSpecMinimum() {
        String text = MediaPlaylist.write(new MediaPlaylist.Layout(1, 0.2, "init.mp4", 5), List.of(ll(10, 2, false)), 0, null, false);
        assertThat(text).contains("PART-HOLD-BACK=1.000,");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MediaPlaylist.Layout(1, 0.2, "init.mp4", 2))
                .hasMessageContaining("at least 3");
    }

    @Test
    void deltaUpdateSkipsSegmentsOlderThanTheSkipBoundary() {
        List<Segment> window = new ArrayList<>();
        for (long msn = 20; msn < 30; msn++) {
            window.add(ll(msn, 5, true));
        }
        window.add(ll(30, 1, false));
        String text = MediaPlaylist.write(new MediaPlaylist.Layout(1, 0.2, "init.mp4", 3), window, 0, "part-30.1.m4s", true);
        // CAN-SKIP-UNTIL is 6 s: the last six complete seconds stay (segments 24-29), 20-23 are skipped.
        assertThat(text).contains("#EXT-X-VERSION:9\n").contains("#EXT-X-MEDIA-SEQUENCE:20\n")
                .contains("#EXT-X-SKIP:SKIPPED-SEGMENTS=4\n")
                .doesNotContain("seg-23.m4s").contains("seg-24.m4s\n")
                .contains("#EXT-X-PROGRAM-DATE-TIME:2026-11-21T07:00:14.000Z\n");
        // Each segment listed is dated as in the full playlist, not from the first one's date.
        String full = MediaPlaylist.write(new MediaPlaylist.Layout(1, 0.2, "init.mp4", 3), window, 0, "part-30.1.m4s", false);
        for (long msn = 24; msn < 31; msn++) {
            String date = "#EXT-X-PROGRAM-DATE-TIME:2026-11-21T07:00:" + (msn - 10) + ".000Z\n";
            assertThat(text).as("segment %d in the delta", msn).contains(date);
            assertThat(full).as("segment %d in the full playlist", msn).contains(date);
        }
    }
}
