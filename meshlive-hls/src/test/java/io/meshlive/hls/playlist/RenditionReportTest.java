package io.meshlive.hls.playlist;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RenditionReportTest {
    @Test
    void eachSiblingGetsOneTagWithItsLastPart() {
        assertThat(RenditionReport.write(List.of(
                new RenditionReport("../shop/index.m3u8", 41, 4),
                new RenditionReport("../shop_720p/index.m3u8", 42, 0)))).isEqualTo("""
                #EXT-X-RENDITION-REPORT:URI="../shop/index.m3u8",LAST-MSN=41,LAST-PART=4
                #EXT-X-RENDITION-REPORT:URI="../shop_720p/index.m3u8",LAST-MSN=42,LAST-PART=0
                """);
    }

    @Test
    void aLadderOfOneReportsNothing() {
        assertThat(RenditionReport.write(List.of())).isEmpty();
    }
}
