package io.meshlive.core.cue;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.MediaFormatException;
import io.meshlive.media.TrackType;
import io.meshlive.media.avc.SeiUserData;
import io.meshlive.media.cue.Cue;
import io.meshlive.media.cue.CueJson;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A stream's cues: API cues waiting for their video frame, the rate limit, and what the API shows
 * (recent cues, the current sticky one).
 *
 * <p>Threading: {@link #inject} runs on any thread and only queues (a lock-free queue); the cue
 * enters the stream on the publisher's event loop, in {@link #beforeVideo}, which the stream calls
 * for every video frame just before dispatching it, so the cue reaches every subscriber right
 * before its frame and the hub's rule (publish only on the publisher's loop) holds. With nothing
 * queued, the cost per video frame is two array writes.
 */
public final class StreamCues {
    private static final Logger log = LoggerFactory.getLogger(StreamCues.class);
    /** Video frames remembered to place a late cue on the frame it names: ~17 s at 30 fps. */
    private static final int HISTORY = 512;
    /** Cues the API lists. */
    private static final int RECENT = 32;
    /** Cues waiting for a future time; the rate limit bounds this too, but a stream time far ahead must not pile up. */
    private static final int MAX_WAITING = 256;

    private record Pending(String id, CueRequest request, long queuedNanos, CompletableFuture<Cue> landed) {
    }

    private final String streamName;
    private final byte[] seiUuid;
    private final CueRateLimit limit;
    private final Queue<Pending> inbox = PlatformDependent.newMpscQueue();
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile Cue sticky;
    private volatile List<Cue> recent = List.of();

    // Publisher's event loop only.
    private final ArrayList<Pending> waiting = new ArrayList<>();
    private final long[] historyPts = new long[HISTORY];
    private final long[] historyWall = new long[HISTORY];
    private long videoFrames;

    /** @param seiUuid H.264 SEI user_data_unregistered messages with this UUID become cues; null for none */
    public StreamCues(String streamName, int maxPerSecond, byte[] seiUuid) {
        this.streamName = streamName;
        this.limit = new CueRateLimit(maxPerSecond);
        this.seiUuid = seiUuid == null ? null : seiUuid.clone();
    }

    /** Why a cue was not taken. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Queues an API cue for the publisher's loop; any thread. The future completes, on that loop,
     * with the cue as it went out (its frame's pts and ingest time, late or not).
     *
     * @throws Refused when the stream is over its cue rate
     */
    public CompletableFuture<Cue> inject(CueRequest request) throws Refused {
        if (!admit()) {
            throw new Refused("stream " + streamName + " is over its cue rate of " + limit.perSecond() + " per second");
        }
        Pending p = new Pending(Long.toString(nextId.getAndIncrement()), request, System.nanoTime(), new CompletableFuture<>());
        inbox.offer(p);
        return p.landed;
    }

    /** The rate limit, counted: false (and one more refusal) when the stream is over it. */
    private boolean admit() {
        if (limit.tryAcquire(System.nanoTime())) {
            return true;
        }
        if (refused.getAndIncrement() % 1000 == 0) {
            log.warn("stream {}: cues over the rate of {}/s are dropped ({} so far)", streamName, limit.perSecond(), refused.get());
        }
        return false;
    }

    /**
     * A cue frame from the publisher (AMF onCuePoint, SEI...): counted against the same rate and
     * remembered like an API cue. Publisher's loop.
     *
     * @return false when it must be dropped (over the rate, or not a readable cue)
     */
    public boolean admitPublished(Frame cueFrame) {
        if (!admit()) {
            return false;
        }
        try {
            remember(Cue.read(cueFrame.payload()));
            return true;
        } catch (MediaFormatException e) {
            log.warn("stream {}: dropping an unreadable cue frame: {}", streamName, e.getMessage());
            return false;
        }
    }

    /**
     * Publisher's loop, for every video frame (not configs) before it is dispatched: sends every
     * cue due on this frame through {@code dispatch} first, then remembers the frame.
     */
    public void beforeVideo(Frame video, Consumer<Frame> dispatch) {
        long pts = video.pts();
        long wall = IngestClock.wallMillis(video);
        // Only where the frame entered the cluster: a relayed frame (already numbered by its origin)
        // had its SEI cues taken there, and they travel beside it as cue frames.
        if (seiUuid != null && video.codec() == Codec.H264 && video.sequence() < 0) {
            seiCues(video, pts, wall, dispatch);
        }
        if (!inbox.isEmpty() || !waiting.isEmpty()) {
            takeDue(video, pts, wall, dispatch);
        }
        int slot = (int) (videoFrames++ % HISTORY);
        historyPts[slot] = pts;
        historyWall[slot] = wall;
    }

    private void takeDue(Frame video, long pts, long wall, Consumer<Frame> dispatch) {
        Pending p;
        while ((p = inbox.poll()) != null) {
            if (waiting.size() >= MAX_WAITING) {
                refused.incrementAndGet();
                p.landed.completeExceptionally(new Refused("stream " + streamName + " has " + MAX_WAITING + " cues waiting already"));
            } else {
                waiting.add(p);
            }
        }
        for (int i = 0; i < waiting.size(); i++) {
            Pending w = waiting.get(i);
            if (!due(w.request.at(), pts, wall)) {
                continue;
            }
            waiting.remove(i--);
            int earliest = earliestSentFrameMeeting(w.request.at());
            boolean late = earliest >= 0;
            Cue cue = new Cue(w.id, w.request.kind(), w.request.payload(),
                    late ? historyPts[earliest] : pts, late ? historyWall[earliest] : wall,
                    w.request.durationMillis(), w.request.sticky(), late);
            Frame frame;
            try {
                frame = cue.toFrame(ByteBufAllocator.DEFAULT, video.arrivalNanos());
            } catch (RuntimeException e) {
                w.landed.completeExceptionally(e);
                continue;
            }
            remember(cue);
            dispatch.accept(frame);
            w.landed.complete(cue);
        }
    }

    /**
     * The encoder's own cues, in the frame's SEI: each becomes a cue on this frame. The user data is
     * the payload when it is a JSON object, else it is carried as a JSON string.
     */
    private void seiCues(Frame video, long pts, long wall, Consumer<Frame> dispatch) {
        List<byte[]> found;
        try {
            found = SeiUserData.find(video.payload(), seiUuid);
        } catch (MediaFormatException e) {
            return; // the frame's own decoder will have its say; a bad SEI is no cue
        }
        for (byte[] data : found) {
            if (!admit()) {
                continue;
            }
            String text = new String(data, StandardCharsets.UTF_8).strip();
            if (data.length > Cue.MAX_PAYLOAD_BYTES) {
                refused.incrementAndGet();
                continue;
            }
            String payload = text.startsWith("{") && text.endsWith("}") ? text : jsonString(text);
            Cue cue = new Cue("sei-" + nextId.getAndIncrement(), "sei", payload, pts, wall, 0, false, false);
            remember(cue);
            dispatch.accept(cue.toFrame(ByteBufAllocator.DEFAULT, video.arrivalNanos()));
        }
    }

    private static String jsonString(String text) {
        StringBuilder b = new StringBuilder(text.length() + 2);
        CueJson.string(b, text);
        return b.toString();
    }

    private static boolean due(CueTime at, long pts, long wall) {
        if (at instanceof CueTime.StreamTime t) {
            return pts >= t.ptsMicros();
        }
        if (at instanceof CueTime.WallClock w) {
            return wall >= w.epochMillis();
        }
        return true;
    }

    /**
     * The history slot of the earliest remembered frame that already met this time, or -1 when the
     * last frame sent did not (the cue is on time). A time older than the history lands on the
     * oldest frame remembered.
     */
    private int earliestSentFrameMeeting(CueTime at) {
        if (videoFrames == 0 || at instanceof CueTime.Next) {
            return -1;
        }
        int last = (int) ((videoFrames - 1) % HISTORY);
        if (!due(at, historyPts[last], historyWall[last])) {
            return -1;
        }
        int found = last;
        long remembered = Math.min(videoFrames, HISTORY);
        for (long back = 1; back < remembered; back++) {
            int slot = (int) ((videoFrames - 1 - back) % HISTORY);
            if (!due(at, historyPts[slot], historyWall[slot])) {
                break;
            }
            found = slot;
        }
        return found;
    }

    private void remember(Cue cue) {
        delivered.incrementAndGet();
        if (cue.sticky()) {
            sticky = Cue.CLEAR_KIND.equals(cue.kind()) ? null : cue;
        }
        List<Cue> list = recent;
        ArrayList<Cue> next = new ArrayList<>(Math.min(list.size() + 1, RECENT));
        next.addAll(list.size() >= RECENT ? list.subList(1, list.size()) : list);
        next.add(cue);
        recent = List.copyOf(next);
    }

    /** The current sticky cue, or null. */
    public Cue sticky() {
        return sticky;
    }

    /** The last cues that went out, oldest first. */
    public List<Cue> recent() {
        return recent;
    }

    public long delivered() {
        return delivered.get();
    }

    /** Cues dropped over the rate limit or the waiting bound. */
    public long refused() {
        return refused.get();
    }

    public int maxPerSecond() {
        return limit.perSecond();
    }

    /** Whether the stream hands this frame to {@link #beforeVideo}. */
    public static boolean carriesCues(Frame frame) {
        return frame.track() == TrackType.VIDEO && !frame.isConfig();
    }

    /** Whether this frame is a cue that must pass {@link #admitPublished}. */
    public static boolean isCue(Frame frame) {
        return frame.codec() == Codec.CUE;
    }
}
