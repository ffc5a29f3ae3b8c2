package io.meshlive.webrtc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;

import java.net.InetSocketAddress;

/** A peer reached over our UDP socket at one remote address. */
record UdpPath(DatagramChannel channel, InetSocketAddress remote) implements PeerPath {
    @Override
    public void send(ByteBuf datagram) {
        channel.write(new DatagramPacket(datagram, remote), channel.voidPromise());
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public String toString() {
        return "udp " + remote.getAddress().getHostAddress() + ":" + remote.getPort();
    }
}
