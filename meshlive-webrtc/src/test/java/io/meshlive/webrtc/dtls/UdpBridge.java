package io.meshlive.webrtc.dtls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;

/**
 * A UDP socket on 127.0.0.1 standing in for meshlive's: datagrams it receives go to a
 * {@link DtlsTransport}, and the transport's datagrams go to the peer (given, or learnt from the
 * first datagram, as a server learns its client's address).
 */
final class UdpBridge implements AutoCloseable {
    private final DatagramSocket socket;
    private volatile SocketAddress peer;
    private Thread reader;

    UdpBridge(SocketAddress peer) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.peer = peer;
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The transport's sender: takes ownership of the datagram. */
    void send(ByteBuf datagram) {
        try {
            byte[] bytes = ByteBufUtil.getBytes(datagram);
            socket.send(new DatagramPacket(bytes, bytes.length, peer));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            datagram.release();
        }
    }

    void deliverTo(DtlsTransport transport) {
        reader = new Thread(() -> {
            byte[] buffer = new byte[65536];
            while (!socket.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (IOException closed) {
                    return;
                }
                peer = packet.getSocketAddress();
                transport.receive(Unpooled.wrappedBuffer(Arrays.copyOf(buffer, packet.getLength())));
            }
        }, "udp-bridge");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        if (reader != null) {
            reader.join(1000);
        }
    }
}
