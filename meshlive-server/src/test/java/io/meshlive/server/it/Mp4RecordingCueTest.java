package io.meshlive.server.it;

import io.meshlive.testkit.Http1Clients;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlive.testkit.ExternalProcess;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.TestPattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cues posted while the API records a stream as fragmented MP4 are in the file as version-1
 * {@code emsg} boxes (top level, before the prft and moof of their fragment): the AOM ID3 scheme,
 * the cue's id, its JSON in the ID3 tag, and a presentation time exactly on a video frame of the
 * file, the cues as far apart on it as their frames were on the stream (to the millisecond their
 * RTMP times were rounded to), each in the fragment its emsg precedes. ffprobe reads the file cleanly.
 */
@Timeout(120)
class Mp4RecordingCueTest {
    private static final String STREAM = "mp4cues";
    private static final String ID3_SCHEME = "https://aomedia.org/emsg/ID3";
    /** One millisecond at 90 kHz: how far RTMP's millisecond timestamps put a frame from its grid point. */
    private static final long MS_ROUNDING_TICKS = 90;
    private static final long VIDEO_TRACK = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RecordHookReceiver hooks;
    private static TestServer server;
    private static Path recordings;
    private final HttpClient http = Http1Clients.builder().build();

    /** One emsg box as read from the file. */
    record Emsg(long timescale, long presentationTime, long id, String scheme, String message) {
    }

    /** The emsg boxes of a file, and the video decode time (tfdt) of each moof, in file order. */
    record FileBoxes(List<Emsg> emsgs, List<Long> fragmentStarts, List<Integer> fragmentOfEmsg) {
        /** The video decode time of the fragment the emsg precedes, and of the next one (or none). */
        long[] fragmentSpan(Emsg e) {
            int f = fragmentOfEmsg.get(emsgs.indexOf(e));
            return new long[] {fragmentStarts.get(f), f + 1 < fragmentStarts.size() ? fragmentStarts.get(f + 1) : Long.MAX_VALUE};
        }
    }

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        hooks = new RecordHookReceiver();
        recordings = Files.createTempDirectory("meshlive-cue-recordings");
        server = TestServer.start(c -> {
            c.webhooks.url = hooks.url();
            c.webhooks.secret = "k";
            c.record.dir = recordings.toString();
        });
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (hooks != null) {
            hooks.close();
        }
    }

    @Test
    void cuesPostedWhileRecordingAreEmsgBoxesOnTheirFrames() throws Exception {
        Map<String, Double> ptsMsById = new LinkedHashMap<>();
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl(STREAM))) {
            server.awaitLive(STREAM, publisher);
            HttpResponse<String> started = send("POST", "/api/v1/streams/live/" + STREAM + "/record", "{\"format\":\"mp4\"}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
            server.awaitVideoTime(STREAM, server.videoTime(STREAM).plusSeconds(1), publisher);
            CueApiClient api = new CueApiClient(server, STREAM);
            for (int i = 0; i < 4; i++) {
                CueApiClient.Answer a = api.post("{\"kind\":\"product\",\"payload\":{\"sku\":\"m" + i + "\"}}");
                assertThat(a.status()).as(a.text()).isEqualTo(201);
                ptsMsById.put(a.body().path("id").asText(), a.body().path("ptsMs").asDouble());
                TimeUnit.MILLISECONDS.sleep(300); // cues a few frames apart; the loop is bounded
            }
            server.awaitVideoTime(STREAM, server.videoTime(STREAM).plusSeconds(2), publisher);
            assertThat(send("DELETE", "/api/v1/streams/live/" + STREAM + "/record", "").statusCode()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(15)).until(() -> !hooks.records(TestServer.APP, STREAM).isEmpty());
        }
        List<JsonNode> events = hooks.records(TestServer.APP, STREAM);
        assertThat(events).as("one recording, not split").hasSize(1);
        Path file = Path.of(events.get(0).path("file").asText());
        assertThat(file.toString()).endsWith(".mp4");
        assertThat(events.get(0).path("bytes").asLong()).isEqualTo(Files.size(file));
        RecordingProbe.of(file).assertPlayable();

        FileBoxes read = topLevelBoxes(Files.readAllBytes(file));
        List<Emsg> boxes = read.emsgs();
        Set<Long> videoPts = videoPacketPts(file);
        Map<String, Emsg> byId = new LinkedHashMap<>();
        for (String id : ptsMsById.keySet()) {
            List<Emsg> matching = boxes.stream().filter(e -> e.id() == Long.parseLong(id)).toList();
            assertThat(matching).as("emsg of cue %s among %s", id, boxes).hasSize(1);
            Emsg e = matching.get(0);
            assertThat(e.scheme()).isEqualTo(ID3_SCHEME);
            assertThat(e.timescale()).isEqualTo(90_000);
            assertThat(e.message()).as("the ID3 tag of cue %s", id).startsWith("ID3").contains("meshlive.cue")
                    .contains("\"" + id + "\"").contains("\"sku\"");
            // The file's samples sit on an exact 3000-tick grid (SampleClock), and the cue is
            // presented where its frame was placed on it, not at the frame's millisecond RTMP time.
            long nearest = videoPts.stream().min(Comparator.comparingLong(p -> Math.abs(p - e.presentationTime()))).orElseThrow();
            assertThat(Math.abs(nearest - e.presentationTime())).as("cue %s at %d ticks: ticks from the nearest video frame"
                    + " of the file (%d)", id, e.presentationTime(), nearest).isZero();
            long[] span = read.fragmentSpan(e);
            assertThat(e.presentationTime()).as("cue %s: in the fragment its emsg precedes (video from %d to %d)", id, span[0], span[1])
                        .isBetween(span[0] - MS_ROUNDING_TICKS, span[1] + MS_ROUNDING_TICKS - 1);
            byId.put(id, e);
        }
        // The file's timeline is the stream's moved by where the recording started: same distances.
        List<String> ids = new ArrayList<>(ptsMsById.keySet());
        for (int i = 1; i < ids.size(); i++) {
            double onStream = (ptsMsById.get(ids.get(i)) - ptsMsById.get(ids.get(0))) * 90;
            long inFile = byId.get(ids.get(i)).presentationTime() - byId.get(ids.get(0)).presentationTime();
            // On the grid, a frame may sit up to the millisecond its RTMP time was rounded to off that time.
            assertThat((double) inFile).as("distance of cue %s from the first: file vs stream", ids.get(i))
                    .isBetween(onStream - 2 * MS_ROUNDING_TICKS, onStream + 2 * MS_ROUNDING_TICKS);
        }
    }

    /**
     * Walks the file's top-level boxes: reads every emsg (version 1, ISO/IEC 23009-1 5.10.3.3) and
     * each moof's video tfdt (ISO/IEC 14496-12 8.8.12).
     */
    private static FileBoxes topLevelBoxes(byte[] file) {
        List<Emsg> out = new ArrayList<>();
        List<Long> fragmentStarts = new ArrayList<>();
        List<Integer> fragmentOfEmsg = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(file);
        List<String> types = new ArrayList<>();
        while (b.remaining() >= 8) {
            int start = b.position();
            long size = b.getInt() & 0xFFFF_FFFFL;
            String type = new String(file, start + 4, 4, StandardCharsets.US_ASCII);
            b.position(start + 8);
            assertThat(size).as("size of box %s at %d (after %s)", type, start, types).isBetween(8L, (long) file.length - start);
            types.add(type);
            if (type.equals("emsg")) {
                assertThat(b.get()).as("emsg version").isEqualTo((byte) 1);
                b.position(b.position() + 3);
                long timescale = b.getInt() & 0xFFFF_FFFFL;
                long presentationTime = b.getLong();
                b.getInt(); // event_duration
                long id = b.getInt() & 0xFFFF_FFFFL;
                String scheme = cString(b);
                cString(b); // value
                int end = start + (int) size;
                String message = new String(file, b.position(), end - b.position(), StandardCharsets.UTF_8);
                out.add(new Emsg(timescale, presentationTime, id, scheme, message));
                fragmentOfEmsg.add(fragmentStarts.size()); // the next moof's index
                assertThat(file.length).as("a box follows the emsg").isGreaterThan(end + 8);
                // the fragment's producer reference time (prft) precedes its moof
                assertThat(new String(file, end + 4, 4, StandardCharsets.US_ASCII)).as("box after the emsg at %d", start)
                        .isIn("emsg", "prft", "moof");
            }
            if (type.equals("moof")) {
                fragmentStarts.add(videoDecodeTime(ByteBuffer.wrap(file, start + 8, (int) size - 8).slice()));
            }
            b.position(start + (int) size);
        }
        assertThat(b.remaining()).as("bytes after the last box").isZero();
        assertThat(types).as("top-level boxes").startsWith("ftyp", "moov").contains("moof", "mdat");
        assertThat(fragmentOfEmsg).as("every emsg precedes a moof").allMatch(f -> f < fragmentStarts.size());
        return new FileBoxes(out, fragmentStarts, fragmentOfEmsg);
    }

    /** The tfdt of the video track's traf in a moof's body. */
    private static long videoDecodeTime(ByteBuffer moof) {
        while (moof.remaining() >= 8) {
            int start = moof.position();
            int size = moof.getInt();
            String type = boxType(moof);
            if (type.equals("traf")) {
                ByteBuffer traf = moof.slice(start + 8, size - 8);
                long trackId = -1;
                long decodeTime = -1;
                while (traf.remaining() >= 8) {
                    int at = traf.position();
                    int childSize = traf.getInt();
                    String child = boxType(traf);
                    if (child.equals("tfhd")) {
                        traf.getInt(); // version and flags
                        trackId = traf.getInt() & 0xFFFF_FFFFL;
                    } else if (child.equals("tfdt")) {
                        int version = traf.get();
                        traf.position(traf.position() + 3);
                        decodeTime = version == 1 ? traf.getLong() : traf.getInt() & 0xFFFF_FFFFL;
                    }
                    traf.position(at + childSize);
                }
                if (trackId == VIDEO_TRACK) {
                    return decodeTime;
                }
            }
            moof.position(start + size);
        }
        throw new AssertionError("a moof without a video traf");
    }

    private static String boxType(ByteBuffer b) {
        byte[] type = new byte[4];
        b.get(type);
        return new String(type, StandardCharsets.US_ASCII);
    }

    private static String cString(ByteBuffer b) {
        int from = b.position();
        while (b.get() != 0) {
            // up to the terminator
        }
        return new String(b.array(), from, b.position() - 1 - from, StandardCharsets.UTF_8);
    }

    /** The pts of every video packet as ffprobe reads them, in the stream's time base (checked to be 1/90000). */
    private static Set<Long> videoPacketPts(Path file) throws IOException {
        List<String> cmd = List.of("/usr/bin/ffprobe", "-hide_banner", "-v", "error", "-select_streams", "v:0",
                "-show_entries", "stream=time_base:packet=pts", "-of", "json", file.toString());
        JsonNode json;
        try (ExternalProcess p = ExternalProcess.start("ffprobe", cmd)) {
            assertThat(p.awaitExit(Duration.ofSeconds(30))).as("%s", p.describe()).isZero();
            assertThat(p.stderr().strip()).as("ffprobe errors: %s", p.describe()).isEmpty();
            json = JSON.readTree(p.stdout());
        }
        assertThat(json.path("streams").path(0).path("time_base").asText()).isEqualTo("1/90000");
        Set<Long> pts = new TreeSet<>();
        json.path("packets").forEach(p -> pts.add(p.path("pts").asLong()));
        assertThat(pts).as("video packets ffprobe read").hasSizeGreaterThan(30);
        return pts;
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(5)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }
}
