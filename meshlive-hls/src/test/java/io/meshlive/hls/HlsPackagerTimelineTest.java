package io.meshlive.hls;

import io.meshlive.core.StreamKey;
import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the LL-HLS packager writes for frames stamped as RTMP stamps them (to the millisecond):
 * an exact fMP4 decode timeline (every AAC frame 1024 samples, 30 fps video 3000 ticks, each
 * part starting where the previous one ended), and each segment's EXT-X-PROGRAM-DATE-TIME the
 * wall-clock time its first frame arrived, the same in full and delta playlists.
 */
class HlsPackagerTimelineTest {
    /** An AVCDecoderConfigurationRecord (High, 320x180) from the h264_aac.flv fixture. */
    private static final String AVC_CONFIG =
            "0164000cffe1001a6764000cacd941419f9f011000000300100000030320f142996001000668eae0c4b22cfdf8f800";
    /** AudioSpecificConfig: AAC-LC, 48 kHz, stereo. */
    private static final String AAC_LC_48K = "1190";
    /** AudioSpecificConfig: HE-AAC signalled explicitly: SBR, core 24 kHz, stereo, output 48 kHz, core AAC-LC. */
    private static final String HE_AAC_48K = "2b1188";
    private static final Pattern PDT = Pattern.compile("#EXT-X-PROGRAM-DATE-TIME:(\\S+)\\n(?:#EXT-X-PART:[^\\n]*\\n)*#EXTINF:[^\\n]*\\n(seg-\\d+\\.m4s)");

    private final DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
    private final HlsPackager packager = new HlsPackager(Flavour.CMAF, HlsSettings.defaults(), group.next(), new StreamKey("live", "t"), false);

    @AfterEach
    void stop() throws Exception {
        group.submit(packager::close).get();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aacAt48kHzLasts1024SamplesPerFrameAcrossParts() throws Exception {
        assertExactTimeline(AAC_LC_48K, 48_000);
    }

    @Test
    void heAacLasts1024CoreSamplesPerFrameAcrossParts() throws Exception {
        // The core rate is the timescale; SBR doubles the output rate, and so the frame's 2048 output samples.
        assertExactTimeline(HE_AAC_48K, 24_000);
    }

    private void assertExactTimeline(String asc, int timescale) throws Exception {
        group.submit(() -> feed(asc, timescale, 6_000_000, System.nanoTime())).get();
        List<Fragments.Run> video = new ArrayList<>();
        List<Fragments.Run> audio = new ArrayList<>();
        group.submit(() -> {
            for (long seq = 0; packager.window().segment(seq) != null; seq++) {
                for (int part = 0; packager.window().part(seq, part) != null; part++) {
                    for (Fragments.Run run : Fragments.runs(packager.window().part(seq, part))) {
                        (run.trackId() == 1 ? video : audio).add(run);
                    }
                }
            }
        }).get();
        assertThat(video).as("parts written").hasSizeGreaterThan(20);
        assertContiguous(video, 3000, "video at 30 fps, 90 kHz");
        assertContiguous(audio, 1024, "AAC at " + timescale + " Hz");
    }

    /** Every sample lasts {@code ticks}, and each run starts where the previous one ended. */
    private static void assertContiguous(List<Fragments.Run> runs, long ticks, String what) {
        long expectedStart = runs.get(0).baseDecodeTime();
        for (int i = 0; i < runs.size(); i++) {
            Fragments.Run run = runs.get(i);
            assertThat(run.baseDecodeTime()).as("%s: run %d starts where run %d ended", what, i, i - 1).isEqualTo(expectedStart);
            assertThat(run.durations()).as("%s: run %d sample durations", what, i).containsOnly(ticks);
            expectedStart += run.durations().stream().mapToLong(Long::longValue).sum();
        }
    }

    @Test
    void programDateTimeIsWhenEachSegmentsFirstFrameArrivedInFullAndDeltaPlaylists() throws Exception {
        // Frames that arrived over the last 20 s, handed over at once, as a GOP cache replays them to
        // a packager that starts late: their dates are their arrival, not the time of packaging.
        long arrivedFrom = System.nanoTime() - TimeUnit.SECONDS.toNanos(20);
        long arrivedFromMillis = System.currentTimeMillis() - 20_000;
        long durationMicros = 12_000_000;
        group.submit(() -> feed(AAC_LC_48K, 48_000, durationMicros, arrivedFrom)).get();
        String full = group.submit(() -> text(packager.window().playlistBytes(false, new byte[0], new byte[0]))).get();
        String delta = group.submit(() -> text(packager.window().playlistBytes(true, new byte[0], new byte[0]))).get();
        Map<String, Long> fullDates = dates(full);
        Map<String, Long> deltaDates = dates(delta);
        assertThat(delta).as("a delta playlist").contains("#EXT-X-SKIP");
        assertThat(fullDates).as("every segment of the full playlist is dated:\n%s", full).hasSize(count(full, "#EXTINF"));
        assertThat(deltaDates).as("every segment of the delta playlist is dated:\n%s", delta).hasSize(count(delta, "#EXTINF"));
        deltaDates.forEach((segment, date) -> assertThat(fullDates.get(segment)).as("%s in full and delta", segment).isEqualTo(date));
        for (Map.Entry<String, Long> e : fullDates.entrySet()) {
            long seq = Long.parseLong(e.getKey().replaceAll("seg-(\\d+)\\.m4s", "$1"));
            // Keyframes every second, from dts 0: segment N starts with the frame that arrived N s after the first.
            long expected = arrivedFromMillis + seq * 1000;
            assertThat(e.getValue()).as("%s dated when its first frame arrived", e.getKey()).isCloseTo(expected, org.assertj.core.data.Offset.offset(5L));
        }
    }

    @Test
    void consecutiveDatesDifferByTheirSegmentsDurationWhateverTheArrivalsJitter() throws Exception {
        // Every other second's frames arrive 90 ms late (a busy node): the dates still follow one
        // another by EXTINF, as hls.js needs when it aligns reloads on them. From 8 s on the frames
        // come 2 s late (the publisher stalled): the dates start again from the arrival.
        long arrivedFrom = System.nanoTime() - TimeUnit.SECONDS.toNanos(20);
        long arrivedFromMillis = System.currentTimeMillis() - 20_000;
        group.submit(() -> feed(AAC_LC_48K, 48_000, 12_000_000, arrivedFrom,
                dts -> dts >= 8_000_000 ? 2_000_000 : dts / 1_000_000 % 2 == 1 ? 90_000 : 0)).get();
        String full = group.submit(() -> text(packager.window().playlistBytes(false, new byte[0], new byte[0]))).get();
        List<Long> dates = new ArrayList<>(dates(full).values());
        Matcher extinf = Pattern.compile("#EXTINF:([\\d.]+),").matcher(full);
        List<Long> durations = new ArrayList<>();
        while (extinf.find()) {
            durations.add(Math.round(Double.parseDouble(extinf.group(1)) * 1000));
        }
        assertThat(dates).as("segments 0..11 dated:\n%s", full).hasSizeGreaterThanOrEqualTo(11);
        for (int seq = 1; seq < dates.size(); seq++) {
            long step = dates.get(seq) - dates.get(seq - 1);
            if (seq == 8) {
                assertThat(dates.get(seq)).as("seg-8 after the stall: dated by its arrival\n%s", full)
                        .isCloseTo(arrivedFromMillis + 10_000, org.assertj.core.data.Offset.offset(5L));
            } else {
                assertThat(step).as("seg-%d's date is seg-%d's plus its EXTINF\n%s", seq, seq - 1, full).isEqualTo(durations.get(seq - 1));
            }
        }
    }

    /**
     * Video at 30 fps and AAC frames, stamped to the millisecond as RTMP stamps them, arriving in
     * real time from {@code arrivedFrom}; keyframes every second.
     */
    private void feed(String asc, int sampleRate, long durationMicros, long arrivedFrom) {
        feed(asc, sampleRate, durationMicros, arrivedFrom, dts -> 0);
    }

    /** As {@link #feed(String, int, long, long)}, each frame arriving {@code lateness(dts)} µs later than real time. */
    private void feed(String asc, int sampleRate, long durationMicros, long arrivedFrom, java.util.function.LongUnaryOperator lateness) {
        lend(Frame.config(Codec.H264, 0, Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(AVC_CONFIG)), arrivedFrom));
        lend(Frame.config(Codec.AAC, 0, Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(asc)), arrivedFrom));
        int video = 0;
        int audio = 0;
        while (true) {
            long videoDts = millis(video * 1_000_000L / 30);
            long audioDts = millis(audio * 1024L * 1_000_000 / sampleRate);
            if (Math.min(videoDts, audioDts) > durationMicros) {
                return;
            }
            if (videoDts <= audioDts) {
                lend(Frame.media(Codec.H264, videoDts, videoDts, video % 30 == 0, Unpooled.wrappedBuffer(new byte[]{0, 0, 0, 1, 0x65}),
                        arrivedFrom + (videoDts + lateness.applyAsLong(videoDts)) * 1000));
                video++;
            } else {
                lend(Frame.media(Codec.AAC, audioDts, audioDts, true, Unpooled.wrappedBuffer(new byte[]{0x21, 0x10}),
                        arrivedFrom + (audioDts + lateness.applyAsLong(audioDts)) * 1000));
                audio++;
            }
        }
    }

    /** Rounded to the millisecond, in microseconds. */
    private static long millis(long micros) {
        return Math.round(micros / 1000.0) * 1000;
    }

    private void lend(Frame frame) {
        try {
            packager.onFrame(frame, System.nanoTime());
        } finally {
            frame.release();
        }
    }

    private static String text(ByteBuf b) {
        try {
            return b.toString(StandardCharsets.UTF_8);
        } finally {
            b.release();
        }
    }

    private static Map<String, Long> dates(String playlist) {
        Map<String, Long> dates = new LinkedHashMap<>();
        Matcher m = PDT.matcher(playlist);
        while (m.find()) {
            dates.put(m.group(2), Instant.parse(m.group(1)).toEpochMilli());
        }
        return dates;
    }

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }

    /** Reads the track runs (tfhd, tfdt, trun) out of a part. */
    static final class Fragments {
        record Run(int trackId, long baseDecodeTime, List<Long> durations) {
        }

        static List<Run> runs(ByteBuf part) {
            List<Run> runs = new ArrayList<>();
            boxes(part, part.readerIndex(), part.writerIndex(), runs, 0, 0);
            return runs;
        }

        private static void boxes(ByteBuf b, int from, int to, List<Run> runs, int trackId, long base) {
            for (int at = from; at + 8 <= to; ) {
                int size = b.getInt(at);
                String type = b.toString(at + 4, 4, StandardCharsets.US_ASCII);
                switch (type) {
                    case "moof" -> boxes(b, at + 8, at + size, runs, 0, 0);
                    case "traf" -> boxes(b, at + 8, at + size, runs, 0, 0);
                    case "tfhd" -> trackId = b.getInt(at + 12);
                    case "tfdt" -> base = b.getLong(at + 12);
                    case "trun" -> runs.add(new Run(trackId, base, durations(b, at)));
                    default -> {
                    }
                }
                at += size;
            }
        }

        /** Sample durations of a trun whose samples carry a duration (flag 0x100), as ours do. */
        private static List<Long> durations(ByteBuf b, int at) {
            int flags = b.getInt(at + 8) & 0xffffff;
            int count = b.getInt(at + 12);
            int pos = at + 16 + ((flags & 1) != 0 ? 4 : 0) + ((flags & 4) != 0 ? 4 : 0);
            int sampleBytes = Integer.bitCount(flags & 0xf00) * 4;
            List<Long> d = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                d.add(b.getUnsignedInt(pos + i * sampleBytes));
            }
            return d;
        }
    }
}
