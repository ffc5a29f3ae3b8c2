package io.meshlive.rtmp;

import io.meshlive.core.cue.IngestClock;
import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.cue.Cue;
import io.meshlive.media.cue.CueJson;
import io.meshlive.media.cue.CueScriptData;
import io.meshlive.rtmp.amf.Amf0Reader;
import io.meshlive.rtmp.amf.AmfException;
import io.netty.buffer.ByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns a publisher's cue script data into hub cues: AMF0 {@code onCuePoint} ({name, time, type,
 * parameters}) and {@code onTextData} ({text, ...}, what ffmpeg writes for a subtitle stream). The
 * cue keeps the message's own timestamp as its pts, never a time of ours; {@code @setDataFrame}
 * is already gone (FlvTagBody.decodeScript). Other script data passes through unchanged.
 */
final class ScriptCues {
    static final String ON_TEXT_DATA = "onTextData";
    private static final Logger log = LoggerFactory.getLogger(ScriptCues.class);
    private static final AtomicLong NEXT_ID = new AtomicLong(1);

    private ScriptCues() {
    }

    /**
     * The cue frame for {@code script} (an AMF0 data frame), which is then released; or
     * {@code script} itself when it is no cue; or null when it is a cue that cannot be taken
     * (malformed, oversized): dropped with one log line, the publisher and its video unharmed.
     */
    static Frame convert(Frame script, Object publisher) {
        if (script.codec() != Codec.AMF0 || script.isConfig()) {
            return script;
        }
        List<Object> values;
        try {
            values = Amf0Reader.readAll(script.payload().duplicate());
        } catch (AmfException e) {
            script.release();
            log.warn("{}: dropping a malformed AMF data message: {}", publisher, e.getMessage());
            return null;
        }
        if (values.isEmpty() || !(values.get(0) instanceof String name)
                || !name.equals(CueScriptData.ON_CUE_POINT) && !name.equals(ON_TEXT_DATA)) {
            return script;
        }
        Map<?, ?> body = values.size() > 1 && values.get(1) instanceof Map<?, ?> m ? m : Map.of();
        try {
            Cue cue = name.equals(ON_TEXT_DATA) ? textCue(body, script) : cuePoint(body, script);
            return cue.toFrame(ByteBufAllocator.DEFAULT, script.arrivalNanos());
        } catch (IllegalArgumentException e) {
            log.warn("{}: dropping {}: {}", publisher, name, e.getMessage());
            return null;
        } finally {
            script.release();
        }
    }

    private static String nextId() {
        return "rtmp-" + NEXT_ID.getAndIncrement();
    }

    private static Cue textCue(Map<?, ?> body, Frame script) {
        return new Cue(nextId(), "text", bounded(json(body)), script.pts(), IngestClock.wallMillis(script), 0, false, false);
    }

    /**
     * An onCuePoint: kind from {@code name}, payload from {@code parameters}. A cue that meshlive
     * itself wrote (a relayed stream) carries its JSON payload and fields in the parameters, and
     * comes back as it was.
     */
    private static Cue cuePoint(Map<?, ?> body, Frame script) {
        Object parameters = body.get("parameters");
        Map<?, ?> p = parameters instanceof Map<?, ?> m ? m : Map.of();
        String kind = body.get("name") instanceof String s && !s.isEmpty() ? s : "cuepoint";
        String payload = p.get("payload") instanceof String s && p.containsKey("kind") ? s : json(p);
        String id = p.get("id") instanceof String s && p.containsKey("kind") ? s : nextId();
        long duration = p.get("durationMs") instanceof Number n ? n.longValue() : 0;
        boolean sticky = Boolean.TRUE.equals(p.get("sticky"));
        return new Cue(id, kind, bounded(payload), script.pts(), IngestClock.wallMillis(script), duration, sticky, false);
    }

    private static String bounded(String payload) {
        int bytes = payload.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > Cue.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("its payload is " + bytes + " bytes, over " + Cue.MAX_PAYLOAD_BYTES);
        }
        return payload;
    }

    /** AMF values as JSON: objects, arrays, strings, numbers, booleans, dates, null. */
    static String json(Object value) {
        StringBuilder b = new StringBuilder();
        json(value, b);
        return b.toString();
    }

    private static void json(Object value, StringBuilder b) {
        if (value instanceof Map<?, ?> map) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                CueJson.string(b, String.valueOf(e.getKey()));
                b.append(':');
                json(e.getValue(), b);
            }
            b.append('}');
        } else if (value instanceof List<?> list) {
            b.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                json(list.get(i), b);
            }
            b.append(']');
        } else if (value instanceof String s) {
            CueJson.string(b, s);
        } else if (value instanceof Double d) {
            b.append(d.isNaN() || d.isInfinite() ? "null" : d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : d.toString());
        } else if (value instanceof Number || value instanceof Boolean) {
            b.append(value);
        } else if (value instanceof Instant t) {
            CueJson.string(b, t.toString());
        } else {
            b.append("null");
        }
    }
}
