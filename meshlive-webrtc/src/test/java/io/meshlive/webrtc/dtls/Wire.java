package io.meshlive.webrtc.dtls;

import io.netty.buffer.ByteBuf;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One direction of an in-memory network between two {@link DtlsTransport}s: a transport's sender
 * hands datagrams straight to the other's {@link DtlsTransport#receive}, as our event loop would.
 * Records every datagram's size and content type, and can lose chosen datagrams.
 */
final class Wire implements Consumer<ByteBuf> {
    private final List<Integer> sizes = new CopyOnWriteArrayList<>();
    private final List<Integer> contentTypes = new CopyOnWriteArrayList<>();
    private volatile DtlsTransport to;
    private volatile Predicate<ByteBuf> lose = datagram -> false;

    void connect(DtlsTransport to) {
        this.to = to;
    }

    /** Datagrams the predicate accepts are lost (released, never delivered). */
    void lose(Predicate<ByteBuf> lose) {
        this.lose = lose;
    }

    @Override
    public void accept(ByteBuf datagram) {
        sizes.add(datagram.readableBytes());
        contentTypes.add(contentType(datagram));
        DtlsTransport receiver = to;
        if (receiver == null || lose.test(datagram)) {
            datagram.release();
        } else {
            receiver.receive(datagram);
        }
    }

    List<Integer> sizes() {
        return sizes;
    }

    List<Integer> contentTypes() {
        return contentTypes;
    }

    /** DTLS record content type (RFC 6347 §4.1) of the datagram's first record. */
    static int contentType(ByteBuf datagram) {
        return datagram.getUnsignedByte(datagram.readerIndex());
    }

    /** DTLS epoch of the datagram's first record: 0 in the clear, 1 once ChangeCipherSpec took effect. */
    static int epoch(ByteBuf datagram) {
        return datagram.getUnsignedShort(datagram.readerIndex() + 3);
    }
}
