package io.meshlive.bench.play;

import io.meshlive.bench.StreamUrl;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlayerTest {
    @Test
    void countsScriptDataApartFromAudioAndVideo() {
        Player player = new Player(0, StreamUrl.parse("http://127.0.0.1:8080/live/demo.flv"));
        player.onMedia(18, 0, 0x02, 0x00);   // onMetaData
        player.onMedia(9, 0, 0x17, 0x01);    // an H.264 keyframe (AVC NALU)
        player.onMedia(8, 0, 0xAF, 0x01);    // an AAC frame
        player.onMedia(18, 40, 0x02, 0x00);  // a cue (onCuePoint)

        PlayerResult r = player.snapshot(System.nanoTime());

        assertThat(r.scriptData()).isEqualTo(2);
        assertThat(r.videoFrames()).isEqualTo(1);
        assertThat(r.audioFrames()).isEqualTo(1);
    }
}
