package io.meshlive.webrtc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.net.InetSocketAddress;

/** A peer on an ICE-TCP connection; the pipeline adds the RFC 4571 length prefix. */
record TcpPath(Channel channel) implements PeerPath {
    @Override
    public void send(ByteBuf datagram) {
        channel.write(datagram, channel.voidPromise());
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public String toString() {
        InetSocketAddress r = (InetSocketAddress) channel.remoteAddress();
        return r == null ? "tcp (closed)" : "tcp " + r.getAddress().getHostAddress() + ":" + r.getPort();
    }
}
