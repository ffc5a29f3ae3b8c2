package io.meshlive.hls;

import io.meshlive.core.StreamKey;
import io.meshlive.hls.playlist.MediaPlaylist;
import io.meshlive.hls.playlist.Part;
import io.meshlive.hls.playlist.Segment;
import io.meshlive.hls.serve.PartPosition;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What one {@link HlsPackager} keeps for players: the sliding window of finished segments, the
 * segment being built with its parts, and the playlist text that lists them, built once per
 * change and shared by every request. Requests read it; only the packager writes it; both on the
 * packager's loop.
 */
final class HlsWindow {
    /** Where each URI of the shared playlist text ends: replaced by the asking player's query. */
    private static final char URI_QUERY_MARK = '\u0000';
    private static final String URI_QUERY = String.valueOf(URI_QUERY_MARK);

    /** A part as kept: its bytes (moof+mdat) and what the playlist says of it. */
    private record PartData(Part part, ByteBuf bytes) {
    }

    /** A segment as kept. */
    static final class SegmentData {
        final long sequence;
        final long startDts;
        final long programDateTimeMillis;
        final boolean discontinuity;
        private final List<PartData> parts = new ArrayList<>();
        /** EXT-X-DATERANGE lines of the cues on this segment's frames (LL-HLS). */
        private final List<String> dateRanges = new ArrayList<>();
        private ByteBuf bytes;
        private double durationSeconds;

        SegmentData(long sequence, long startDts, long programDateTimeMillis, boolean discontinuity) {
            this.sequence = sequence;
            this.startDts = startDts;
            this.programDateTimeMillis = programDateTimeMillis;
            this.discontinuity = discontinuity;
        }

        void addDateRange(String line) {
            dateRanges.add(line);
        }

        private void release() {
            if (bytes != null) {
                bytes.release();
            }
            for (PartData p : parts) {
                p.bytes().release();
            }
        }
    }

    private final Flavour flavour;
    private final HlsSettings settings;
    private final StreamKey key;
    private final ArrayDeque<SegmentData> window = new ArrayDeque<>();
    private SegmentData current;
    /** EXT-X-DISCONTINUITY-SEQUENCE: discontinuities that have left the window. */
    private long discontinuitySequence;
    /** EXT-X-TARGETDURATION so far: it may grow with a longer GOP, and never shrinks, as the spec requires. */
    private int targetDurationSeconds;
    /** The playlist text, full and delta: built and encoded once per change and shared by every player's request. */
    private SplicedText playlistFull;
    private SplicedText playlistDelta;

    HlsWindow(Flavour flavour, HlsSettings settings, StreamKey key) {
        this.flavour = flavour;
        this.settings = settings;
        this.key = key;
    }

    // ---- what the packager writes ----

    /** The sequence number a segment the segmenter numbered {@code proposed} gets: the window's numbers never go back. */
    long nextSequence(long proposed) {
        return window.isEmpty() ? proposed : window.peekLast().sequence + 1;
    }

    boolean isEmpty() {
        return window.isEmpty();
    }

    /** The segment being built, or null. */
    SegmentData current() {
        return current;
    }

    void open(SegmentData segment) {
        current = segment;
        changed();
    }

    /** Adds a cut part (its bytes now the window's) to the segment being built; returns where it is. */
    PartPosition addPart(double durationSeconds, boolean independent, ByteBuf bytes) {
        int index = current.parts.size();
        current.parts.add(new PartData(new Part(durationSeconds, independent, partUri(current.sequence, index)), bytes));
        changed();
        return new PartPosition(current.sequence, index);
    }

    /**
     * Ends the segment being built at {@code endDts} and keeps it: its bytes are {@code tsBytes}
     * (MPEG-TS; the window's from now on) or, in CMAF, its parts back to back. Returns its last
     * position, or null when it had nothing to play and was dropped.
     */
    PartPosition close(long endDts, ByteBuf tsBytes) {
        SegmentData s = current;
        current = null;
        s.durationSeconds = (endDts - s.startDts) / 1e6;
        if (flavour == Flavour.TS) {
            s.bytes = tsBytes;
        } else if (!s.parts.isEmpty()) { // none when nothing could be packaged: the segment is dropped, as in TS
            // The whole segment is its parts back to back: one copy per stream and segment keeps
            // every response a plain buffer.
            int size = s.parts.stream().mapToInt(p -> p.bytes().readableBytes()).sum();
            ByteBuf whole = PooledByteBufAllocator.DEFAULT.directBuffer(Math.max(1, size));
            for (PartData p : s.parts) {
                whole.writeBytes(p.bytes(), p.bytes().readerIndex(), p.bytes().readableBytes());
            }
            s.bytes = whole;
        }
        if (s.bytes == null || s.durationSeconds <= 0) {
            s.release();
            return null;
        }
        window.addLast(s);
        while (window.size() > settings.windowSegments()) {
            SegmentData gone = window.removeFirst();
            if (gone.discontinuity) {
                discontinuitySequence++;
            }
            gone.release();
        }
        changed();
        return new PartPosition(s.sequence, Math.max(0, s.parts.size() - 1));
    }

    /** Drops the segment being built (its timeline ended). */
    void dropCurrent() {
        if (current != null) {
            current.release();
            current = null;
        }
        changed();
    }

    /** Frees everything kept. */
    void clear() {
        dropCurrent();
        window.forEach(SegmentData::release);
        window.clear();
    }

    /** Drops the shared playlist text: the next request builds it anew. */
    void changed() {
        playlistFull = null;
        playlistDelta = null;
    }

    // ---- what requests read ----

    /**
     * The playlist for this flavour ({@code skip}: a delta update, LL-HLS) with {@code uriQuery}
     * (the player's session token, or empty) appended to every URI in it, then {@code trailer}
     * (tags written at the moment of answering). The text is built and encoded once per change
     * and shared; each response is one buffer of its exact size that the caller owns.
     */
    ByteBuf playlistBytes(boolean skip, byte[] uriQuery, byte[] trailer) {
        boolean delta = skip && flavour == Flavour.CMAF;
        SplicedText text = delta ? playlistDelta : playlistFull;
        if (text == null) {
            text = SplicedText.of(playlist(delta), URI_QUERY_MARK);
            if (delta) {
                playlistDelta = text;
            } else {
                playlistFull = text;
            }
        }
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer(text.length(uriQuery.length) + trailer.length);
        text.writeTo(out, uriQuery);
        out.writeBytes(trailer);
        return out;
    }

    private String playlist(boolean skip) {
        List<Segment> segments = new ArrayList<>(window.size() + 1);
        for (SegmentData s : window) {
            segments.add(new Segment(s.sequence, s.durationSeconds, uri(s), s.programDateTimeMillis, s.discontinuity,
                    s.parts.stream().map(PartData::part).toList()));
        }
        String hint = null;
        if (flavour == Flavour.CMAF && current != null) {
            segments.add(new Segment(current.sequence, 0, null, current.programDateTimeMillis, current.discontinuity,
                    current.parts.stream().map(PartData::part).toList()));
            hint = partUri(current.sequence, current.parts.size());
        }
        double configured = (flavour == Flavour.TS ? settings.segmentMillis() : settings.llSegmentMillis()) / 1000.0;
        double longest = window.stream().mapToDouble(s -> s.durationSeconds).max().orElse(0);
        // The spec compares each EXTINF rounded to the nearest integer with the target duration.
        targetDurationSeconds = Math.max(targetDurationSeconds, (int) Math.max(Math.ceil(configured), Math.round(longest)));
        MediaPlaylist.Layout layout = new MediaPlaylist.Layout(targetDurationSeconds,
                flavour == Flavour.CMAF ? settings.partMillis() / 1000.0 : 0, flavour == Flavour.CMAF ? "init.mp4" + URI_QUERY : null,
                settings.partHoldBackParts());
        return MediaPlaylist.write(layout, segments, discontinuitySequence, hint, skip) + dateRanges();
    }

    /**
     * Every cue's EXT-X-DATERANGE in the window, after the segments: in full and delta playlists
     * alike, as the playlist does not say CAN-SKIP-DATERANGES.
     */
    private String dateRanges() {
        StringBuilder b = new StringBuilder();
        for (SegmentData s : window) {
            s.dateRanges.forEach(b::append);
        }
        if (current != null) {
            current.dateRanges.forEach(b::append);
        }
        return b.toString();
    }

    private String uri(SegmentData s) {
        return (flavour == Flavour.TS ? key.name() + "/seg-" + s.sequence + ".ts" : "seg-" + s.sequence + ".m4s") + URI_QUERY;
    }

    private static String partUri(long sequence, int index) {
        return "part-" + sequence + "." + index + ".m4s" + URI_QUERY;
    }

    /** A whole segment by sequence number, or null when it is not in the window. Not retained. */
    ByteBuf segment(long sequence) {
        for (SegmentData s : window) {
            if (s.sequence == sequence) {
                return s.bytes;
            }
        }
        return null;
    }

    /** A part by position, from the window or the segment in progress, or null. Not retained. */
    ByteBuf part(long sequence, int index) {
        if (current != null && current.sequence == sequence) {
            return index < current.parts.size() ? current.parts.get(index).bytes() : null;
        }
        for (SegmentData s : window) {
            if (s.sequence == sequence) {
                return index < s.parts.size() ? s.parts.get(index).bytes() : null;
            }
        }
        return null;
    }

    /** The newest position produced, for validating far-future requests. */
    PartPosition newest() {
        if (current != null) {
            return new PartPosition(current.sequence, current.parts.size() - 1);
        }
        SegmentData last = window.peekLast();
        return last == null ? new PartPosition(-1, -1) : new PartPosition(last.sequence, last.parts.size() - 1);
    }
}
