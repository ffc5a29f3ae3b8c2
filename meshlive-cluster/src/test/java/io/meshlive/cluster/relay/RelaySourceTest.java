package io.meshlive.cluster.relay;

import io.meshlive.cluster.route.StaticTreePlanner;
import io.meshlive.cluster.store.MemoryControlStore;
import io.meshlive.cluster.store.NodeInfo;
import io.meshlive.cluster.store.NodeLoad;
import io.meshlive.cluster.store.RecentNodes;
import io.meshlive.core.Hub;
import io.meshlive.core.HubSettings;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.Subscriber;
import io.meshlive.core.Transport;
import io.meshlive.core.Workers;
import io.meshlive.media.Frame;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node pulling a stream from a parent: through a real relay listener it gets the parent's
 * frames with their origin time and sequence; from a parent that breaks the protocol (a frame for
 * a stream never subscribed) it closes the link.
 */
class RelaySourceTest {
    private static final String SECRET = "s3cret";
    private static final StreamKey KEY = new StreamKey("live", "x");
    private EventLoopGroup group;
    private Hub hub;
    private final MemoryControlStore store = new MemoryControlStore();

    @BeforeEach
    void start() {
        group = Transport.group(2, "relay-source-test");
        hub = new Hub(new Workers(group), HubSettings.defaults());
        NodeInfo self = node("child", "127.0.0.1:1");
        RelayContext ctx = new RelayContext(hub, store, new RecentNodes(store, 1000), new StaticTreePlanner(Map.of()),
                new RelayLinks(hub, "child", SECRET, 2000), self, 2000, 10_000);
        hub.onDemand(stream -> RelaySource.start(ctx, stream), 1000);
    }

    @AfterEach
    void stop() {
        for (Stream s : hub.streams().all()) {
            s.terminate("test over");
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static NodeInfo node(String id, String relay) {
        return new NodeInfo(id, "default", Set.of("origin", "core", "edge"), Map.of("relay", relay),
                new NodeLoad(0, 0, 0, 0, 0), 0, List.of());
    }

    /** A reader of the stream that keeps what it got. */
    private static final class Reader implements Subscriber {
        final EventLoop loop;
        final List<String> seen = new CopyOnWriteArrayList<>();

        Reader(EventLoop loop) {
            this.loop = loop;
        }

        @Override
        public EventLoop eventLoop() {
            return loop;
        }

        @Override
        public void onSubscribed(Stream stream) {
        }

        @Override
        public void onFrame(Frame frame, long nowNanos) {
            seen.add(frame.codec() + "@" + frame.dts() + " origin=" + frame.originMicros() + " epoch=" + frame.epoch()
                    + " seq=" + frame.sequence());
        }

        @Override
        public void flush() {
        }

        @Override
        public void onPublisherGone() {
            seen.add("gone");
        }

        @Override
        public void onStreamClosed(String reason) {
        }
    }

    @Test
    void aParentSendingAFrameForAStreamNeverSubscribedIsDisconnected() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            store.claimOrigin(KEY, "parent");
            store.heartbeat(node("parent", "127.0.0.1:" + fake.getLocalPort()));
            Reader reader = new Reader(hub.workers().loop(0));
            reader.loop.submit(() -> hub.streams().subscribe(KEY, reader)).get(5, TimeUnit.SECONDS);
            fake.setSoTimeout(10_000);
            try (Socket s = fake.accept()) {
                s.setSoTimeout(10_000);
                DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                byte[] nonce = new byte[RelayWire.NONCE];
                out.writeInt(1 + 4 + RelayWire.NONCE);
                out.writeByte(RelayWire.CHALLENGE);
                out.writeInt(RelayWire.VERSION);
                out.write(nonce);
                out.flush();
                int helloLength = in.readInt();
                assertThat(in.readByte()).isEqualTo(RelayWire.HELLO);
                byte[] clientNonce = new byte[RelayWire.NONCE];
                in.readFully(clientNonce);
                in.readFully(new byte[helloLength - 1 - RelayWire.NONCE]);
                byte[] mac = RelayWire.serverMac(SECRET.getBytes(StandardCharsets.UTF_8), clientNonce, nonce, "parent");
                out.writeInt(1 + RelayWire.MAC + 1 + 6);
                out.writeByte(RelayWire.WELCOME);
                out.write(mac);
                out.writeByte(6);
                out.write("parent".getBytes(StandardCharsets.UTF_8));
                out.flush();
                int subscribeLength = in.readInt();
                assertThat(in.readByte()).isEqualTo(RelayWire.SUBSCRIBE);
                in.readFully(new byte[subscribeLength - 1]);
                // A frame for stream 99, which the child never subscribed to.
                out.writeInt(1 + 4 + RelayFrameFormat.FIXED);
                out.writeByte(RelayWire.FRAME);
                out.writeInt(99);
                out.write(new byte[RelayFrameFormat.FIXED]);
                out.flush();
                ByteArrayOutputStream rest = new ByteArrayOutputStream();
                byte[] b = new byte[256];
                int n;
                while ((n = in.read(b)) >= 0) { // pings until the child closes
                    rest.write(b, 0, n);
                }
                assertThat(reader.seen).isEmpty();
            }
        }
    }

    @Test
    void framesComeThroughARealParentWithTheirOriginTimeAndSequence() throws Exception {
        EventLoopGroup parentGroup = Transport.group(1, "relay-parent");
        try {
            Hub parent = new Hub(new Workers(parentGroup), HubSettings.defaults());
            RelayServer server = new RelayServer(parent, "parent", SECRET, "127.0.0.1", 0, 100);
            try {
                Stream origin = parent.streams().attachPublisher(KEY, new io.meshlive.core.Session("test", io.meshlive.core.Session.Role.PUBLISHER, "host") {
                    @Override
                    public void close(String reason) {
                    }
                }).stream();
                origin.numberFramesInEpoch(store.claimOrigin(KEY, "parent").toCompletableFuture().get().origin().epoch());
                store.heartbeat(node("parent", "127.0.0.1:" + server.port()));
                EventLoop parentLoop = parent.workers().loop(0);
                Frame key = Frame.relayed(io.meshlive.media.Codec.H264, 0, 0, true, false,
                        io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 1, 0x65}), System.nanoTime(), 1234, 0, -1);
                parentLoop.submit(() -> {
                    origin.publish(key);
                    origin.endOfBatch();
                    return null;
                }).get(5, TimeUnit.SECONDS);

                Reader reader = new Reader(hub.workers().loop(1));
                reader.loop.submit(() -> hub.streams().subscribe(KEY, reader)).get(5, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(10)).until(() -> !reader.seen.isEmpty());
                for (int i = 1; i <= 3; i++) {
                    long dts = i * 33_000L;
                    parentLoop.submit(() -> {
                        origin.publish(Frame.relayed(io.meshlive.media.Codec.H264, dts, dts, false, false,
                                io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 1, 0x41}), System.nanoTime(), 5678, 0, -1));
                        origin.endOfBatch();
                        return null;
                    }).get(5, TimeUnit.SECONDS);
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> reader.seen.size() >= 4);
                assertThat(reader.seen).containsExactly(
                        "H264@0 origin=1234 epoch=1 seq=1",
                        "H264@33000 origin=5678 epoch=1 seq=2",
                        "H264@66000 origin=5678 epoch=1 seq=3",
                        "H264@99000 origin=5678 epoch=1 seq=4");
                parentLoop.submit(() -> {
                    origin.terminate("test over");
                    return null;
                }).get(5, TimeUnit.SECONDS);
            } finally {
                server.close();
            }
        } finally {
            parentGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
