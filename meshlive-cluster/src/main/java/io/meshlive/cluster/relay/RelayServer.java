package io.meshlive.cluster.relay;

import io.meshlive.core.Hub;
import io.meshlive.core.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** The relay listener: other nodes connect here, authenticate, and subscribe to streams. */
public final class RelayServer implements AutoCloseable {
    /** A node below may be this far behind in its socket before it skips to the next keyframe. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(1024 * 1024, 4 * 1024 * 1024);

    private final String nodeId;
    private final byte[] secret;
    private final long pingMillis;
    private final RelayOuts outs;
    private final Channel channel;

    /**
     * Listens on {@code host:port} (0: any free port).
     *
     * @param pingMillis how often each connection is pinged (a third of the parent timeout)
     */
    public RelayServer(Hub hub, String nodeId, String secret, String host, int port, long pingMillis) throws InterruptedException {
        this.nodeId = nodeId;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.pingMillis = pingMillis;
        this.outs = new RelayOuts(hub);
        ServerBootstrap b = new ServerBootstrap()
                .group(hub.workers().group())
                .channel(Transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        RelayMessageDecoder decoder = new RelayMessageDecoder();
                        ch.pipeline().addLast(decoder, new RelayServerConnection(RelayServer.this, decoder));
                    }
                });
        try {
            this.channel = b.bind(new InetSocketAddress(host, port)).sync().channel();
        } catch (Exception e) {
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            throw new IllegalStateException("cannot listen for relays on " + host + ":" + port + ": " + e.getMessage()
                    + " (change cluster.relayPort, or 0 for any free port)", e);
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    String nodeId() {
        return nodeId;
    }

    byte[] secret() {
        return secret;
    }

    long pingMillis() {
        return pingMillis;
    }

    RelayOuts outs() {
        return outs;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
