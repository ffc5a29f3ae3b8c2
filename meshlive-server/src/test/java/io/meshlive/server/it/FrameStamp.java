package io.meshlive.server.it;

import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.ExternalProcess;
import java.util.ArrayList;
import java.util.List;

/**
 * Burns each frame's number into the picture, for tests that check which frame a browser shows:
 * as text (drawtext, for people) and as {@value #BITS} black or white 40x24 boxes across the top,
 * bit i at x = 40 i, which the console's live.html reads off a canvas ({@code ?stamp=1}).
 */
final class FrameStamp {
    static final int BITS = 14;

    private FrameStamp() {
    }

    /** The -vf filter chain. */
    static String filter() {
        List<String> chain = new ArrayList<>();
        chain.add("drawbox=x=0:y=0:w=iw:h=24:color=black:t=fill");
        for (int i = 0; i < BITS; i++) {
            chain.add("drawbox=x=" + 40 * i + ":y=0:w=40:h=24:color=white:t=fill:enable='mod(floor(n/" + (1 << i) + "),2)'");
        }
        chain.add("drawtext=text='%{frame_num}':x=10:y=40:fontsize=32:fontcolor=white:box=1:boxcolor=black");
        return String.join(",", chain);
    }

    /** Publishes {@code source} live with the stamp, until the process is closed; {@code extra} goes before the output. */
    static ExternalProcess publish(TestPattern source, String url, List<String> extraInputs, List<String> extraOutput) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning"));
        cmd.addAll(source.inputs(true));
        cmd.addAll(extraInputs);
        cmd.addAll(List.of("-vf", filter()));
        cmd.addAll(source.encoding());
        cmd.addAll(extraOutput);
        cmd.addAll(List.of("-f", "flv", url));
        return ExternalProcess.start("ffmpeg-stamped", cmd);
    }

    /**
     * The number of the frame a cue of pts {@code ptsMillis} belongs to: frame n of the 30 fps test
     * source has pts n/30 s, which ffmpeg's FLV muxer moves later by less than a frame (AAC priming,
     * 23 ms, so no timestamp is negative) and rounds to the millisecond.
     */
    static long frameOfPts(double ptsMillis) {
        return (long) Math.floor((ptsMillis + 0.6) * TestPattern.FPS / 1000.0);
    }
}
