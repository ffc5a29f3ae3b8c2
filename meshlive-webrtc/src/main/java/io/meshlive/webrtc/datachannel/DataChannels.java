package io.meshlive.webrtc.datachannel;

import io.meshlive.webrtc.sctp.SctpAssociation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * One peer connection's data channels (RFC 8831) over its SCTP association: answers the
 * browser's DATA_CHANNEL_OPENs, and sends text on an open channel. Messages the browser sends us
 * are counted and dropped: a viewer's channels carry what we send.
 *
 * <p>The browser is the DTLS client, so the channels it opens use even stream ids (RFC 8832 §6);
 * an OPEN on an odd one, a second OPEN on an open stream, or a malformed DCEP message ends the
 * association (the media go on). At most {@link #MAX_CHANNELS} channels. On the peer's loop.
 */
public final class DataChannels implements SctpAssociation.Listener {
    public static final int MAX_CHANNELS = 16;

    /** What the peer's owner hears. On the loop. */
    public interface Listener {
        void onOpen(DataChannel channel);

        /** The association ended; every channel with it. Once. */
        void onClosed(String reason);
    }

    private final SctpAssociation sctp;
    private final ByteBufAllocator alloc;
    private final Listener listener;
    private final Map<Integer, DataChannel> channels = new HashMap<>(4);
    private long messagesIn;
    private long messagesOut;
    private long messagesDropped;

    /** @param out sends one SCTP packet as DTLS application data; takes ownership */
    public DataChannels(ScheduledExecutorService loop, ByteBufAllocator alloc, byte[] cookieSecret, Consumer<ByteBuf> out,
                        Listener listener) {
        this.alloc = alloc;
        this.listener = listener;
        this.sctp = new SctpAssociation(loop, alloc, cookieSecret, out, this);
    }

    /** One SCTP packet from the peer; takes ownership. */
    public void receive(ByteBuf packet) {
        sctp.receive(packet);
    }

    /**
     * Sends {@code utf8} as one text message (PPID 51) on {@code channel}; takes ownership.
     *
     * @return false when it could not be queued (closed, or the peer stopped acknowledging)
     */
    public boolean sendText(DataChannel channel, ByteBuf utf8) {
        if (!utf8.isReadable()) {
            utf8.release();
            utf8 = alloc.buffer(1).writeByte(0);
            return count(sctp.send(channel.stream(), Ppid.STRING_EMPTY, !channel.ordered(), utf8));
        }
        return count(sctp.send(channel.stream(), Ppid.STRING, !channel.ordered(), utf8));
    }

    private boolean count(boolean sent) {
        if (sent) {
            messagesOut++;
        } else {
            messagesDropped++;
        }
        return sent;
    }

    /** Ends the association (ABORT), unless it has ended. */
    public void close(String reason) {
        sctp.abort(reason);
    }

    public boolean isOpen() {
        return !sctp.ended();
    }

    public int channelCount() {
        return channels.size();
    }

    public long messagesIn() {
        return messagesIn;
    }

    public long messagesOut() {
        return messagesOut;
    }

    public long messagesDropped() {
        return messagesDropped;
    }

    public long retransmissions() {
        return sctp.retransmissions();
    }

    @Override
    public void onMessage(int stream, long ppid, boolean unordered, ByteBuf message) {
        try {
            if (ppid == Ppid.DCEP) {
                dcep(stream, message);
            } else if (Ppid.isUserMessage(ppid) && channels.containsKey(stream)) {
                messagesIn++;
            } else {
                throw new DcepException("message with PPID " + ppid + " on stream " + stream + ", which has no open channel");
            }
        } catch (DcepException e) {
            sctp.abort("data channel: " + e.getMessage());
        } finally {
            message.release();
        }
    }

    private void dcep(int stream, ByteBuf message) throws DcepException {
        int type = Dcep.type(message);
        if (type == Dcep.MESSAGE_ACK) {
            throw new DcepException("DATA_CHANNEL_ACK on stream " + stream + ", but we opened no channel");
        }
        if (type != Dcep.MESSAGE_OPEN) {
            throw new DcepException("unknown DCEP message type " + type);
        }
        Dcep.Open open = Dcep.parseOpen(message);
        if ((stream & 1) != 0) {
            throw new DcepException("DATA_CHANNEL_OPEN on odd stream " + stream + "; the DTLS client opens even ones");
        }
        if (channels.containsKey(stream)) {
            throw new DcepException("DATA_CHANNEL_OPEN on stream " + stream + ", open already");
        }
        if (channels.size() == MAX_CHANNELS) {
            throw new DcepException("more than " + MAX_CHANNELS + " data channels");
        }
        DataChannel channel = new DataChannel(stream, open.label(), open.protocol(), open.ordered());
        channels.put(stream, channel);
        // The ACK goes ordered (§6), before anything we send on the channel.
        ByteBuf ack = alloc.buffer(1);
        Dcep.writeAck(ack);
        sctp.send(stream, Ppid.DCEP, false, ack);
        listener.onOpen(channel);
    }

    @Override
    public void onClosed(String reason) {
        channels.clear();
        listener.onClosed(reason);
    }
}
