package io.meshlive.rtmp.amf;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.meshlive.rtmp.amf.Bytes.asMap;
import static io.meshlive.rtmp.amf.Bytes.read;
import static io.meshlive.rtmp.amf.Bytes.written;
import static org.assertj.core.api.Assertions.assertThat;

/** Real message bodies: each reads to the values it carries, and those values write back to the same bytes. */
class AmfCapturesTest {
    @Test
    void ffmpegConnect() {
        Map<String, Object> commandObject = new LinkedHashMap<>();
        commandObject.put("app", "live");
        commandObject.put("type", "nonprivate");
        commandObject.put("flashVer", "FMLE/3.0 (compatible; Lavf61.7.100)");
        commandObject.put("tcUrl", "rtmp://127.0.0.1:1935/live");

        List<Object> values = read(Captures.FFMPEG_CONNECT, Amf0Reader::readAll);

        assertThat(values).containsExactly("connect", 1.0, commandObject);
        assertThat(keys(values.get(2))).containsExactly("app", "type", "flashVer", "tcUrl");
        assertThat(written(out -> Amf0Writer.writeAll(out, "connect", 1, commandObject)))
                .isEqualTo(Captures.FFMPEG_CONNECT);
    }

    @Test
    void onStatusPublishStart() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("level", "status");
        info.put("code", "NetStream.Publish.Start");
        info.put("description", "Start publishing");

        List<Object> values = read(Captures.ON_STATUS_PUBLISH_START, Amf0Reader::readAll);

        assertThat(values).containsExactly("onStatus", 0.0, null, info);
        assertThat(written(out -> Amf0Writer.writeAll(out, "onStatus", 0, null, info)))
                .isEqualTo(Captures.ON_STATUS_PUBLISH_START);
    }

    @Test
    void setDataFrameOnMetaData() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("width", 1280.0);
        metadata.put("height", 720.0);
        metadata.put("framerate", 30.0);
        metadata.put("videocodecid", 7.0);
        metadata.put("audiocodecid", 10.0);
        metadata.put("encoder", "Lavf61.7.100");

        List<Object> values = read(Captures.SET_DATA_FRAME_METADATA, Amf0Reader::readAll);

        assertThat(values).containsExactly("@setDataFrame", "onMetaData", metadata);
        assertThat(keys(values.get(2)))
                .containsExactly("width", "height", "framerate", "videocodecid", "audiocodecid", "encoder");
        assertThat(written(out -> {
            Amf0Writer.writeString(out, "@setDataFrame");
            Amf0Writer.writeString(out, "onMetaData");
            Amf0Writer.writeEcmaArray(out, metadata);
        })).isEqualTo(Captures.SET_DATA_FRAME_METADATA);
    }

    @Test
    void flashConnectWithAmf3CommandObject() {
        Map<String, Object> commandObject = new LinkedHashMap<>();
        commandObject.put("app", "live");
        commandObject.put("objectEncoding", 3.0);

        assertThat(read(Captures.FLASH_AMF3_CONNECT, Amf0Reader::readAll))
                .containsExactly("connect", 1.0, commandObject);
    }

    private static Iterable<String> keys(Object map) {
        return asMap(map).keySet();
    }
}
