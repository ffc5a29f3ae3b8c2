package io.meshlive.transcode.video;

import io.meshlive.core.StreamKey;
import io.meshlive.media.Frame;
import io.meshlive.transcode.TranscodeException;
import io.netty.buffer.ByteBufUtil;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.bytedeco.ffmpeg.global.avutil.av_frame_clone;

/**
 * The decoding half of a {@link Transcoder}: the source's video decoded once for the whole ladder,
 * each picture handed to every {@link Rendition} with its arrival time and whether it must be an
 * IDR. It owns what decoding needs to survive a bad source: a corrupt frame is skipped and
 * decoding resumes at the next keyframe; a source FFmpeg opens but cannot decode is given up on
 * after a few keyframes; on the first picture the renditions are fitted to the source's shape.
 *
 * <p>Decoder thread only, except the counters and {@link #requestIdr()}, which any thread may use.
 */
final class LadderDecoder {
    private static final Logger log = LoggerFactory.getLogger(LadderDecoder.class);
    // libavutil/frame.h macros, which the bindings leave out.
    private static final int AV_FRAME_FLAG_CORRUPT = 1;
    private static final int AV_FRAME_FLAG_KEY = 1 << 1;
    /**
     * Keyframes in a row the decoder may reject, with no picture out since it was configured,
     * before the stream counts as undecodable: FFmpeg opens on a configuration record it cannot
     * read, and only the frames tell.
     */
    private static final int UNDECODABLE_KEYFRAMES = 3;

    private final StreamKey source;
    private final List<Rendition> renditions;
    /** Stops the ladder for good with the reason; called when no rendition fits the source. */
    private final Consumer<String> giveUp;
    private final AtomicBoolean idrRequested = new AtomicBoolean();
    private final AtomicLong corrupt = new AtomicLong();
    private final AtomicLong decoded = new AtomicLong();
    private final ArrivalTimes arrivals = new ArrivalTimes();
    private final IdrCadence cadence;
    private boolean sized;
    private VideoDecoder decoder;
    private byte[] config;
    private boolean resync;
    private long lastArrival;
    private boolean pictureSinceConfig;
    private int keyframesRejected;

    LadderDecoder(StreamKey source, int gopFrames, List<Rendition> renditions, Consumer<String> giveUp) {
        this.source = source;
        this.renditions = renditions;
        this.giveUp = giveUp;
        this.cadence = new IdrCadence(gopFrames);
    }

    /** Opens a decoder for a new configuration record; the same record again keeps the one open. */
    void configure(Frame f) throws TranscodeException {
        byte[] bytes = ByteBufUtil.getBytes(f.payload());
        if (decoder != null && Arrays.equals(bytes, config)) {
            return;
        }
        close();
        config = bytes;
        decoder = VideoDecoder.open(f.codec(), f.payload());
        resync = true;
        pictureSinceConfig = false;
        keyframesRejected = 0;
    }

    /** Decodes one frame; its pictures go to every rendition. Throws when the stream proves undecodable. */
    void decode(Frame f) throws TranscodeException {
        if (decoder == null || (resync && !f.isVideoKeyframe())) {
            return;
        }
        resync = false;
        lastArrival = f.arrivalNanos();
        arrivals.put(f.pts(), f.arrivalNanos());
        if (!decoder.decode(f.payload(), f.pts(), this::dispatch)) {
            skipCorrupt(f);
        }
    }

    private void skipCorrupt(Frame f) throws TranscodeException {
        if (!pictureSinceConfig && f.isVideoKeyframe() && ++keyframesRejected >= UNDECODABLE_KEYFRAMES) {
            throw new TranscodeException("not one picture out of " + keyframesRejected
                    + " keyframes since its configuration (" + f.codec().displayName() + ")");
        }
        long n = corrupt.incrementAndGet();
        resync = true;
        if (Long.bitCount(n) == 1) { // the 1st, 2nd, 4th, 8th...: a broken source does not flood the log
            log.warn("{}: corrupt video frame skipped ({}; {} so far), decoding resumes at the next keyframe",
                    source, f, n);
        }
    }

    private void dispatch(AVFrame picture) {
        if ((picture.flags() & AV_FRAME_FLAG_CORRUPT) != 0 || picture.decode_error_flags() != 0) {
            corrupt.incrementAndGet();
            resync = true;
            return;
        }
        decoded.incrementAndGet();
        pictureSinceConfig = true;
        if (!sized) {
            sizeRenditions(picture);
            sized = true;
        }
        long arrival = arrivals.take(picture.pts(), lastArrival);
        boolean idr = cadence.next((picture.flags() & AV_FRAME_FLAG_KEY) != 0, idrRequested.getAndSet(false));
        for (Rendition r : renditions) {
            r.offer(av_frame_clone(picture), arrival, idr);
        }
    }

    /**
     * Fits every rendition to the first picture's shape; a rendition larger than the source is
     * dropped from the ladder. Later size changes are scaled into the sizes chosen here.
     */
    private void sizeRenditions(AVFrame picture) {
        for (Rendition r : renditions) {
            RenditionSize size = r.fitTo(picture);
            if (size == null) {
                log.info("{}: skipped, its {}x{} box is larger than the {}x{} source", r.stream(),
                        r.spec().width(), r.spec().height(), picture.width(), picture.height());
                renditions.remove(r);
                r.close("larger than the source");
            } else {
                log.info("{}: {} for the {}x{} source", r.stream(), size, picture.width(), picture.height());
            }
        }
        if (renditions.isEmpty()) {
            giveUp.accept("every rendition is larger than the " + picture.width() + "x" + picture.height() + " source");
        }
    }

    /** Closes the decoder; decoder thread only. */
    void close() {
        if (decoder != null) {
            decoder.close();
            decoder = null;
        }
    }

    /** Every rendition makes its next picture an IDR. Any thread. */
    void requestIdr() {
        idrRequested.set(true);
    }

    /** Pictures decoded so far. Any thread. */
    long decoded() {
        return decoded.get();
    }

    /** Source frames the decoder rejected so far. Any thread. */
    long corrupt() {
        return corrupt.get();
    }
}
