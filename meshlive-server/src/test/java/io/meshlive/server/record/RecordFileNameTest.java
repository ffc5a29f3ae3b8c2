package io.meshlive.server.record;

import io.meshlive.server.config.ConfigException;
import io.meshlive.core.StreamKey;
import io.meshlive.server.ServerConfig;
import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** File-name templates: what placeholders become, and which templates are refused before the server starts. */
class RecordFileNameTest {
    private static final ZonedDateTime START = ZonedDateTime.of(2025, 3, 7, 9, 5, 2, 0, ZoneOffset.UTC);
    private static final StreamKey KEY = new StreamKey("live", "shop-1");

    @Test
    void placeholdersAreFilledIn() {
        assertThat(FileNameTemplate.parse(FileNameTemplate.DEFAULT).expand(KEY, RecordFormat.MP4, START, 1))
                .isEqualTo("live/shop-1/20250307-090502.mp4");
        assertThat(FileNameTemplate.parse("{app}-{stream}/{yyyy}/{MM-dd}_{HHmmss}-{seq}.flv").expand(KEY, RecordFormat.FLV, START, 3))
                .isEqualTo("live-shop-1/2025/03-07_090502-3.flv");
    }

    @Test
    void templatesThatCouldLeaveTheDirectoryOrSayNothingAreRefused() {
        for (String bad : new String[] {"/abs/{stream}.flv", "../{stream}.flv", "a/../../b.flv", "{stream}/", "a b.flv",
                "{stream}{zone}.flv", "{VV}.flv", "{stream.flv", ""}) {
            assertThatThrownBy(() -> FileNameTemplate.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theConfigNamesTheKeyAndWhatIsAllowed() {
        RecordConfig c = new RecordConfig();
        c.format = "avi";
        assertThatThrownBy(() -> c.validate("f.yaml")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'record.format'").hasMessageContaining("flv, mp4");
        RecordConfig t = new RecordConfig();
        t.template = "../x.flv";
        assertThatThrownBy(() -> t.validate("f.yaml")).hasMessageContaining("'record.template'");
        RecordConfig a = new RecordConfig();
        RecordConfig.App app = new RecordConfig.App();
        app.format = "webm";
        a.apps.put("live", app);
        assertThatThrownBy(() -> a.validate("f.yaml")).hasMessageContaining("'record.apps.live'");
        assertThat(new RecordConfig().formatFor(KEY)).as("no app configured: not recorded").isNull();
        a.apps.get("live").format = "mp4";
        assertThat(a.formatFor(KEY)).isEqualTo(RecordFormat.MP4);
    }
}
