package io.meshlive.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamUrlTest {
    @Test
    void rtmpUrlGivesAppStreamAndTheStatsApiOnPort8080() {
        StreamUrl u = StreamUrl.parse("rtmp://127.0.0.1/live/demo?token=abc");
        assertThat(u.rtmp()).isTrue();
        assertThat(u.port()).isEqualTo(1935);
        assertThat(u.app()).isEqualTo("live");
        assertThat(u.stream()).isEqualTo("demo?token=abc");
        assertThat(u.streamName()).isEqualTo("demo");
        assertThat(u.tcUrl()).isEqualTo("rtmp://127.0.0.1:1935/live");
        assertThat(u.defaultStatsUrl()).hasToString("http://127.0.0.1:8080/api/v1/streams");
        assertThat(u.withStream("s7").stream()).isEqualTo("s7");
    }

    @Test
    void httpFlvUrlKeepsItsPortForTheStatsApi() {
        StreamUrl u = StreamUrl.parse("http://localhost:18080/live/demo.flv?token=abc");
        assertThat(u.rtmp()).isFalse();
        assertThat(u.stream()).isEqualTo("demo?token=abc");
        assertThat(u.httpTarget()).isEqualTo("/live/demo.flv?token=abc");
        assertThat(u.defaultStatsUrl()).hasToString("http://localhost:18080/api/v1/streams");
    }

    @Test
    void llHlsUrlNamesTheStreamAndResolvesPartsNextToThePlaylist() {
        StreamUrl u = StreamUrl.parse("http://127.0.0.1:18080/live/demo/index.m3u8?token=abc");
        assertThat(u.hls()).isTrue();
        assertThat(u.rtmp()).isFalse();
        assertThat(u.streamName()).isEqualTo("demo");
        assertThat(u.httpTarget()).isEqualTo("/live/demo/index.m3u8?token=abc");
        assertThat(u.hlsBase()).isEqualTo("/live/demo/");
        assertThat(u.query()).isEqualTo("token=abc");
        assertThat(u.withStream("s7").hls()).isTrue();
        assertThatThrownBy(() -> StreamUrl.parse("http://h/live/demo.m3u8")).hasMessageContaining("LL-HLS");
    }

    @Test
    void whepUrlNamesTheStreamAndPostsToTheSameTarget() {
        StreamUrl u = StreamUrl.parse("http://127.0.0.1:18080/live/demo/whep?token=abc");
        assertThat(u.whep()).isTrue();
        assertThat(u.hls()).isFalse();
        assertThat(u.streamName()).isEqualTo("demo");
        assertThat(u.httpTarget()).isEqualTo("/live/demo/whep?token=abc");
        assertThat(u).hasToString("http://127.0.0.1:18080/live/demo/whep?token=abc");
        assertThat(u.withStream("s7").whep()).isTrue();
        assertThatThrownBy(() -> StreamUrl.parse("http://h/live/a/b/whep")).hasMessageContaining("/app/stream/whep");
    }

    @Test
    void srsWhepUrlNamesTheStreamInItsQuery() {
        StreamUrl u = StreamUrl.parse("http://127.0.0.1:1985/rtc/v1/whep/?app=live&stream=demo&token=abc");
        assertThat(u.whep()).isTrue();
        assertThat(u.srs()).isTrue();
        assertThat(u.app()).isEqualTo("live");
        assertThat(u.streamName()).isEqualTo("demo");
        assertThat(u.query()).isEqualTo("token=abc");
        assertThat(u).hasToString("http://127.0.0.1:1985/rtc/v1/whep/?app=live&stream=demo&token=abc");
        assertThat(u.withStream("s7").httpTarget()).isEqualTo("/rtc/v1/whep/?app=live&stream=s7");
        assertThat(StreamUrl.parse("http://h:1985/rtc/v1/whep?stream=demo&app=live").httpTarget())
                .as("without the slash, which SRS answers with a redirect").isEqualTo("/rtc/v1/whep/?app=live&stream=demo");
        assertThatThrownBy(() -> StreamUrl.parse("http://h/rtc/v1/whep/?app=live")).hasMessageContaining("?app=APP&stream=STREAM");
    }

    @Test
    void refusesWhatItCannotPlay() {
        assertThatThrownBy(() -> StreamUrl.parse("rtsp://h/live/demo")).hasMessageContaining("neither");
        assertThatThrownBy(() -> StreamUrl.parse("rtmp://h/live")).hasMessageContaining("app/stream");
        assertThatThrownBy(() -> StreamUrl.parse("http://h/live/demo.ts")).hasMessageContaining(".flv");
    }
}
