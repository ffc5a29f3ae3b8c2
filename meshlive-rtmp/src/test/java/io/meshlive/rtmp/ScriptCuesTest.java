package io.meshlive.rtmp;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.cue.Cue;
import io.meshlive.media.cue.CueScriptData;
import io.meshlive.media.flv.FlvTagBody;
import io.meshlive.rtmp.amf.Amf0Writer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ScriptCuesTest {
    private static final long DTS = 4_321_000;

    private static Frame script(Object... values) {
        ByteBuf body = Unpooled.buffer();
        Amf0Writer.writeString(body, "@setDataFrame");
        for (Object v : values) {
            Amf0Writer.write(body, v);
        }
        try {
            return FlvTagBody.decodeScript(body, DTS, System.nanoTime());
        } finally {
            body.release();
        }
    }

    private static Cue convert(Frame f) {
        Frame out = ScriptCues.convert(f, "test publisher");
        try {
            assertThat(out.codec()).isEqualTo(Codec.CUE);
            assertThat(out.pts()).as("the message's own timestamp").isEqualTo(DTS);
            return Cue.read(out.payload());
        } finally {
            out.release();
        }
    }

    @Test
    void onTextDataFromFfmpegSubtitlesBecomesATextCueAtItsOwnTime() {
        Map<String, Object> text = new LinkedHashMap<>();
        text.put("text", "3, 2, 1 — link!");
        text.put("trackid", 1.0);
        Cue cue = convert(script("onTextData", text));
        assertThat(cue.kind()).isEqualTo("text");
        assertThat(cue.payload()).isEqualTo("{\"text\":\"3, 2, 1 — link!\",\"trackid\":1}");
        assertThat(cue.ptsMicros()).isEqualTo(DTS);
    }

    @Test
    void onCuePointTakesItsNameAsKindAndItsParametersAsPayload() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("sku", "A-1");
        parameters.put("sizes", List.of("S", "M"));
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("name", "product");
        point.put("time", 4.321);
        point.put("type", "event");
        point.put("parameters", parameters);
        Cue cue = convert(script("onCuePoint", point));
        assertThat(cue.kind()).isEqualTo("product");
        assertThat(cue.payload()).isEqualTo("{\"sku\":\"A-1\",\"sizes\":[\"S\",\"M\"]}");
        assertThat(cue.id()).startsWith("rtmp-");
    }

    @Test
    void aCueMeshliveWroteComesBackAsItWas() {
        Cue original = new Cue("17", "price", "{\"price\":\"9.99\"}", DTS, 0, 2000, true, false);
        ByteBuf amf = CueScriptData.onCuePoint(original, ByteBufAllocator.DEFAULT);
        Frame f;
        try {
            f = FlvTagBody.decodeScript(amf, DTS, System.nanoTime());
        } finally {
            amf.release();
        }
        Cue back = convert(f);
        assertThat(back).isEqualTo(new Cue("17", "price", "{\"price\":\"9.99\"}", DTS, back.ingestWallMillis(), 2000, true, false));
    }

    @Test
    void otherScriptDataPassesAndBadCuesAreDroppedWithoutALeak() {
        Frame other = script("|RtmpSampleAccess", true, true);
        assertThat(ScriptCues.convert(other, "p")).isSameAs(other);
        other.release();

        Frame truncated = Frame.data(DTS, Unpooled.wrappedBuffer(new byte[] {2, 0, 10, 'o', 'n', 'C'}), 0);
        assertThat(ScriptCues.convert(truncated, "p")).isNull();
        assertThat(truncated.refCnt()).isZero();

        Frame huge = script("onTextData", Map.of("text", "x".repeat(Cue.MAX_PAYLOAD_BYTES)));
        assertThat(ScriptCues.convert(huge, "p")).isNull();
        assertThat(huge.refCnt()).isZero();
    }
}
