package io.meshlive.transcode.video;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RenditionSizeTest {
    @Test
    void aSourceOfTheBoxesShapeFillsIt() {
        assertThat(RenditionSize.fit(854, 480, 1280, 720, 0, 1)).isEqualTo(new RenditionSize(854, 480));
        assertThat(RenditionSize.fit(1280, 720, 1280, 720, 1, 1)).as("the source's own size").isEqualTo(new RenditionSize(1280, 720));
    }

    @Test
    void anotherShapeFitsInsideTheBoxWithEvenSides() {
        assertThat(RenditionSize.fit(640, 360, 1280, 960, 0, 1)).as("4:3 in a 16:9 box").isEqualTo(new RenditionSize(480, 360));
        assertThat(RenditionSize.fit(640, 360, 720, 1280, 0, 1)).as("portrait").isEqualTo(new RenditionSize(202, 360));
        assertThat(RenditionSize.fit(1280, 720, 1920, 800, 0, 1)).as("2.4:1").isEqualTo(new RenditionSize(1280, 534));
    }

    @Test
    void anAnamorphicSourceKeepsTheShapeItIsShownIn() {
        // 720x576 PAL with 64:45 pixels is shown as 1024x576 (16:9).
        assertThat(RenditionSize.fit(640, 360, 720, 576, 64, 45)).isEqualTo(new RenditionSize(640, 360));
    }

    @Test
    void aBoxLargerThanTheSourceIsNoRendition() {
        assertThat(RenditionSize.fit(1280, 720, 640, 360, 0, 1)).isNull();
        assertThat(RenditionSize.fit(854, 480, 640, 360, 0, 1)).isNull();
        assertThat(RenditionSize.fit(1920, 720, 1280, 720, 0, 1)).as("wider box, same height: no enlargement").isEqualTo(new RenditionSize(1280, 720));
    }
}
