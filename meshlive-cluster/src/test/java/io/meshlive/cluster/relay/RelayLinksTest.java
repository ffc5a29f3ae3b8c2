package io.meshlive.cluster.relay;

import io.meshlive.core.Hub;
import io.meshlive.core.HubSettings;
import io.meshlive.core.Transport;
import io.meshlive.core.Workers;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node bound to one address opens its relay links from it (what a multi-homed host's firewall,
 * and the lab's per-region links, know the node by); a wildcard bind leaves the choice to the kernel.
 */
class RelayLinksTest {
    private final EventLoopGroup group = Transport.group(1, "relay-links-test");
    private final Hub hub = new Hub(new Workers(group), HubSettings.defaults());

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private InetAddress connectingAddress(String bind) throws Exception {
        try (ServerSocket parent = new ServerSocket()) {
            parent.bind(new InetSocketAddress("127.0.0.1", 0));
            parent.setSoTimeout(10_000);
            // The link gives up on the silent parent by itself; the group's shutdown closes what is left.
            new RelayLinks(hub, "child", "s3cret", 2000, bind).link("parent", "127.0.0.1:" + parent.getLocalPort());
            try (Socket accepted = parent.accept()) {
                return accepted.getInetAddress();
            }
        }
    }

    @Test
    void linksLeaveFromTheBindAddress() throws Exception {
        assertThat(connectingAddress("127.0.0.7").getHostAddress()).isEqualTo("127.0.0.7");
        assertThat(connectingAddress("0.0.0.0").getHostAddress()).isEqualTo("127.0.0.1");
    }
}
