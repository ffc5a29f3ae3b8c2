package io.meshlive.rtmp;

import io.meshlive.core.Hub;
import io.meshlive.core.Stream;
import io.meshlive.media.Frame;
import io.meshlive.media.TrackType;

/**
 * The publish path of one RTMP connection, from the moment its publisher is attached to a
 * stream: media messages become frames for the hub, script data that is a cue ({@code
 * onCuePoint}, {@code onTextData}) enters it as one. On the connection's event loop.
 */
final class RtmpPublishing {
    private final Hub hub;
    private final RtmpPublisher session;
    private final Stream stream;
    private final RtmpMediaReader mediaReader = new RtmpMediaReader();
    /** One sink for the connection's life, not a lambda made per message. */
    private final RtmpMediaReader.Sink toStream;

    /** Counts {@code session} among the node's sessions; {@code stream} is the one it was attached to. */
    RtmpPublishing(Hub hub, RtmpPublisher session, Stream stream) {
        this.hub = hub;
        this.session = session;
        this.stream = stream;
        this.toStream = frame -> {
            Frame f = frame.track() == TrackType.DATA ? ScriptCues.convert(frame, session) : frame;
            if (f != null) {
                stream.publish(f);
            }
        };
        hub.sessions().add(session);
    }

    RtmpPublisher session() {
        return session;
    }

    /** A media message (audio, video, data, aggregate) from the publisher; the caller keeps it. */
    void media(RtmpMessage m) {
        session.addBytesIn(m.content().readableBytes());
        mediaReader.read(m, System.nanoTime(), toStream);
    }

    /** The connection has read what the socket had: the stream may hand out what it queued. */
    void endOfBatch() {
        stream.endOfBatch();
    }

    /** Leaves the stream (its viewers stay for a publisher that comes back) and ends the session. */
    void detach() {
        stream.detachPublisher(session);
        hub.sessions().remove(session);
    }
}
