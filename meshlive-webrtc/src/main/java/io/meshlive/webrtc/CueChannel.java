package io.meshlive.webrtc;

import io.meshlive.media.Frame;
import io.meshlive.media.MediaFormatException;
import io.meshlive.webrtc.datachannel.DataChannel;
import io.meshlive.webrtc.datachannel.DataChannels;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongUnaryOperator;

/**
 * A WHEP viewer's data channels, and the cues it sends on the one labelled {@value #LABEL} (opened
 * by the page before its offer). The SCTP association is made when the browser's first packet
 * comes, so a viewer whose offer had no data channel m-line never has one, nor its timers.
 *
 * <p>Each cue goes as a {@link CueMessage} just before its video frame's packets; the latest sticky
 * cue is kept and sent when the channel opens. The association ending (the page closed it, or it
 * sent garbage) ends only the channels: the video goes on. On the viewer's loop.
 */
final class CueChannel implements DataChannels.Listener {
    private static final Logger log = LoggerFactory.getLogger(CueChannel.class);
    static final String LABEL = "cues";

    private final Object viewer;
    private final EventLoop loop;
    private final ByteBufAllocator alloc;
    private final byte[] cookieSecret;
    private final Consumer<ByteBuf> sender;
    private final LongUnaryOperator rtpTimestampOf;
    private DataChannels channels;
    private DataChannel cues;
    private CueMessage sticky;

    /**
     * @param viewer         names the viewer in log lines
     * @param sender         sends one SCTP packet as DTLS application data; takes ownership
     * @param rtpTimestampOf the viewer's RTP timestamp for a video frame's pts (µs)
     */
    CueChannel(Object viewer, EventLoop loop, ByteBufAllocator alloc, byte[] cookieSecret, Consumer<ByteBuf> sender,
               LongUnaryOperator rtpTimestampOf) {
        this.viewer = viewer;
        this.loop = loop;
        this.alloc = alloc;
        this.cookieSecret = cookieSecret;
        this.sender = sender;
        this.rtpTimestampOf = rtpTimestampOf;
    }

    /** An SCTP packet from the browser; takes ownership. */
    void receive(ByteBuf packet) {
        if (channels == null) {
            channels = new DataChannels(loop, alloc, cookieSecret, sender, this);
        }
        if (channels.isOpen()) {
            channels.receive(packet);
        } else {
            packet.release(); // the association ended; the browser does not start another
        }
    }

    /** A cue frame of the stream, just before its video frame. */
    void onCue(Frame frame) {
        CueMessage message;
        try {
            message = CueMessage.of(frame);
        } catch (MediaFormatException e) {
            log.debug("{}: cue frame dropped: {}", viewer, e.getMessage());
            return;
        }
        if (message.cue.sticky()) {
            sticky = message;
        }
        if (cues != null) {
            send(message);
        }
    }

    private void send(CueMessage message) {
        // Only cues go out as text, so the channels' counts are the cues'.
        if (!channels.sendText(cues, message.write(alloc, rtpTimestampOf.applyAsLong(message.cue.ptsMicros())))
                && channels.messagesDropped() == 1) {
            log.warn("{}: cue {} not sent: the browser is not acknowledging its data channel", viewer, message.cue.id());
        }
    }

    @Override
    public void onOpen(DataChannel channel) {
        log.info("{}: data channel {} '{}' open", viewer, channel.stream(), channel.label());
        if (cues == null && channel.label().equals(LABEL)) {
            cues = channel;
            if (sticky != null) {
                send(sticky);
            }
        }
    }

    @Override
    public void onClosed(String reason) {
        cues = null;
        log.info("{}: data channels closed: {}", viewer, reason);
    }

    /** Ends the association, if there is one. */
    void close() {
        if (channels != null) {
            channels.close("viewer ended");
        }
    }

    void details(Map<String, Object> m) {
        m.put("dataChannels", channels == null ? 0 : channels.channelCount());
        m.put("cuesSent", channels == null ? 0L : channels.messagesOut());
        m.put("cuesDropped", channels == null ? 0L : channels.messagesDropped());
        if (channels != null) {
            m.put("sctpRetransmissions", channels.retransmissions());
        }
    }
}
