package io.meshlive.server.config;

import io.meshlive.transcode.video.LadderSpec;
import io.meshlive.transcode.video.RenditionSpec;
import io.meshlive.transcode.video.VideoEncoderKind;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.meshlive.server.config.ConfigChecks.atLeast;
import static io.meshlive.server.config.ConfigChecks.oneOf;

/** The {@code transcode} block: per app, the video ladder every stream published there is transcoded to. */
public final class TranscodeConfig {
    public Map<String, Ladder> apps = new LinkedHashMap<>();

    public static final class Ladder {
        /** openh264 (the LGPL build) or x264 (a build made with -Pgpl). */
        public String encoder = "openh264";
        /** x264 only: ultrafast or veryfast. */
        public String preset = "ultrafast";
        /** copy: the source's audio in every rendition; none: video only. */
        public String audio = "copy";
        /** An IDR every this many frames in every rendition (aligned); 0: where the source has a keyframe. */
        public int gopFrames = 0;
        public List<Rendition> renditions = new ArrayList<>();
    }

    /** Published as {@code {stream}_{name}}. */
    public static final class Rendition {
        public String name = "";
        public int width;
        public int height;
        public int bitrateKbps;
    }

    /** Checks what Jackson cannot; the message names the key and what is allowed. */
    public void validate(String source) throws ConfigException {
        for (var e : apps.entrySet()) {
            validateLadder(source, "transcode.apps." + e.getKey(), e.getValue());
        }
    }

    private static void validateLadder(String source, String at, Ladder l) throws ConfigException {
        oneOf(source, at + ".encoder", l.encoder, "openh264", "x264");
        oneOf(source, at + ".preset", l.preset, "ultrafast", "superfast", "veryfast");
        oneOf(source, at + ".audio", l.audio, "copy", "none");
        if (l.renditions.isEmpty()) {
            throw new ConfigException(source + ": '" + at + ".renditions': list at least one rendition");
        }
        atLeast(source, at + ".gopFrames", l.gopFrames, 0);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < l.renditions.size(); i++) {
            Rendition r = l.renditions.get(i);
            String key = at + ".renditions[" + i + "]";
            if (!r.name.matches("[A-Za-z0-9-]+")) {
                throw new ConfigException(source + ": '" + key + ".name': '" + r.name
                        + "' must be letters, digits and '-' (the stream is {stream}_{name})");
            }
            if (!names.add(r.name)) {
                throw new ConfigException(source + ": '" + key + ".name': '" + r.name
                        + "' is already the name of another rendition of this ladder");
            }
            if (r.width == 0 || r.height == 0) {
                throw new ConfigException(source + ": '" + key + "': width and height are required"
                        + " (the box the picture fits in, keeping the source's shape)");
            }
            atLeast(source, key + ".width", r.width, 16);
            atLeast(source, key + ".height", r.height, 16);
            if (r.width % 2 != 0 || r.height % 2 != 0) {
                throw new ConfigException(source + ": '" + key + "': " + r.width + "x" + r.height + " must be even (4:2:0)");
            }
            atLeast(source, key + ".bitrateKbps", r.bitrateKbps, 50);
        }
    }

    /** The ladders by app, as the transcoder takes them. */
    public Map<String, LadderSpec> ladders() {
        Map<String, LadderSpec> out = new LinkedHashMap<>();
        apps.forEach((app, l) -> out.put(app, new LadderSpec(
                VideoEncoderKind.valueOf(l.encoder.toUpperCase()), l.preset,
                l.renditions.stream().map(r -> new RenditionSpec(r.name, r.width, r.height, r.bitrateKbps)).toList(),
                l.audio.equals("copy"), l.gopFrames)));
        return out;
    }
}
