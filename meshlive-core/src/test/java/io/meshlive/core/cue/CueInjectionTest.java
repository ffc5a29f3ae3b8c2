package io.meshlive.core.cue;

import io.meshlive.core.Hub;
import io.meshlive.core.HubSettings;
import io.meshlive.core.Session;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.Subscriber;
import io.meshlive.core.Workers;
import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.cue.Cue;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Cues injected from another thread enter on the publisher's loop, just before their video frame. */
class CueInjectionTest {
    private final DefaultEventLoopGroup group = new DefaultEventLoopGroup(2);
    private final Workers workers = new Workers(group);
    private final List<Frame> made = new ArrayList<>();
    private final Hub hub = new Hub(workers, HubSettings.defaults());
    private final StreamKey key = new StreamKey("live", "cues");
    private final EventLoop publisherLoop = workers.loop(0);
    private Stream stream;
    private final List<Seen> subscribers = new ArrayList<>();

    @AfterEach
    void shutdown() throws Exception {
        if (stream != null) {
            on(publisherLoop, () -> {
                stream.detachPublisher(stream.publisher());
                return null;
            });
            for (Seen s : subscribers) {
                on(s.loop, () -> {
                    stream.unsubscribe(s);
                    return null;
                });
            }
            for (int i = 0; i < workers.size(); i++) {
                on(workers.loop(i), () -> null); // the stream's disposal ran
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        for (Frame f : made) {
            assertThat(f.refCnt()).as("every frame released: %s", f).isZero();
        }
    }

    private <T> T on(EventLoop loop, Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private void publishVideo(long ms, boolean key) throws Exception {
        Frame f = Frame.media(Codec.H264, ms * 1000, ms * 1000, key, Unpooled.wrappedBuffer(new byte[] {1}), System.nanoTime());
        made.add(f);
        on(publisherLoop, () -> {
            stream.publish(f);
            return null;
        });
    }

    private Stream start() {
        stream = hub.streams().attachPublisher(key, new Session("test", Session.Role.PUBLISHER, "here") {
            @Override
            public void close(String reason) {
            }
        }).stream();
        return stream;
    }

    private static final class Seen implements Subscriber {
        final EventLoop loop;
        final List<String> frames = new CopyOnWriteArrayList<>();

        Seen(EventLoop loop) {
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
            if (frame.codec() == Codec.CUE) {
                Cue c = Cue.read(frame.payload());
                frames.add("cue " + c.kind() + "@" + c.ptsMicros() / 1000 + (c.late() ? " late" : ""));
            } else {
                frames.add("video@" + frame.pts() / 1000);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void onPublisherGone() {
        }

        @Override
        public void onStreamClosed(String reason) {
        }
    }

    private Seen subscribe(int loop) throws Exception {
        Seen s = new Seen(workers.loop(loop));
        on(s.loop, () -> hub.streams().subscribe(key, s));
        subscribers.add(s);
        return s;
    }

    @Test
    void aCueGoesOutJustBeforeTheNextVideoFrameOnEveryLoop() throws Exception {
        start();
        Seen here = subscribe(0);
        Seen there = subscribe(1);
        publishVideo(0, true);
        CompletableFuture<Cue> landed = stream.cues().inject(new CueRequest("product", "{\"sku\":1}", CueTime.NEXT, 0, false));
        assertThat(landed).isNotDone();
        publishVideo(33, false);
        Cue cue = landed.get(5, TimeUnit.SECONDS);
        assertThat(cue.ptsMicros()).isEqualTo(33_000);
        assertThat(cue.late()).isFalse();
        assertThat(cue.ingestWallMillis()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(10_000L));
        for (Seen s : List.of(here, there)) {
            org.awaitility.Awaitility.await().until(() -> s.frames.size() == 3);
            assertThat(s.frames).containsExactly("video@0", "cue product@33", "video@33");
        }
    }

    @Test
    void onARelayedFrameACueNamesTheOriginsIngestTimeNotThisNodes() throws Exception {
        start();
        Seen s = subscribe(0);
        long originMicros = 1_700_000_000_123_456L; // the host's ingest, long before this node saw the frame
        Frame relayed = Frame.relayed(Codec.H264, 0, 0, true, false, Unpooled.wrappedBuffer(new byte[] {1}),
                System.nanoTime(), originMicros, 3, 41);
        made.add(relayed);
        CompletableFuture<Cue> landed = stream.cues().inject(new CueRequest("product", "{}", CueTime.NEXT, 0, false));
        on(publisherLoop, () -> {
            stream.publish(relayed);
            return null;
        });
        assertThat(landed.get(5, TimeUnit.SECONDS).ingestWallMillis()).isEqualTo(1_700_000_000_123L);
        org.awaitility.Awaitility.await().until(() -> s.frames.size() == 2);
    }

    @Test
    void aStreamTimeWaitsForItsFrameAndAPastOneIsLateOnTheFrameItNamed() throws Exception {
        start();
        Seen s = subscribe(1);
        for (int i = 0; i < 5; i++) {
            publishVideo(i * 40, i == 0);
        }
        CompletableFuture<Cue> future = stream.cues().inject(new CueRequest("price", "{}", new CueTime.StreamTime(230_000), 0, false));
        CompletableFuture<Cue> past = stream.cues().inject(new CueRequest("vote", "{}", new CueTime.StreamTime(70_000), 0, false));
        publishVideo(200, false);
        assertThat(past.get(5, TimeUnit.SECONDS)).matches(c -> c.late() && c.ptsMicros() == 80_000, "late on the frame at 80 ms");
        assertThat(future).isNotDone();
        publishVideo(240, false);
        assertThat(future.get(5, TimeUnit.SECONDS).ptsMicros()).isEqualTo(240_000);
        org.awaitility.Awaitility.await().until(() -> s.frames.size() == 9);
        assertThat(s.frames.subList(5, 9)).containsExactly("cue vote@80 late", "video@200", "cue price@240", "video@240");
    }

    @Test
    void aLateJoinerGetsTheStickyCueAtOnceButNoStaleCueFromTheGop() throws Exception {
        start();
        publishVideo(0, true);
        stream.cues().inject(new CueRequest("product", "{\"sku\":7}", CueTime.NEXT, 0, true));
        publishVideo(33, false);
        stream.cues().inject(new CueRequest("vote", "{}", CueTime.NEXT, 0, false));
        publishVideo(66, false);
        Seen late = subscribe(1);
        assertThat(late.frames).containsExactly("cue product@33", "video@0", "video@33", "video@66");
        assertThat(stream.cues().sticky().kind()).isEqualTo("product");
        assertThat(stream.cues().recent()).extracting(Cue::kind).containsExactly("product", "vote");

        stream.cues().inject(new CueRequest(Cue.CLEAR_KIND, "{}", CueTime.NEXT, 0, true));
        publishVideo(100, false);
        assertThat(stream.cues().sticky()).isNull();
        Seen later = subscribe(0);
        assertThat(later.frames).containsExactly("video@0", "video@33", "video@66", "video@100");
    }

    @Test
    void anEncodersSeiUserDataWithTheConfiguredUuidIsACueOnItsFrame() throws Exception {
        hub.streams().setSeiCueUuid(SEI_UUID);
        start();
        Seen s = subscribe(1);
        Frame f = Frame.media(Codec.H264, 40_000, 40_000, true, seiCueAndIdr(), System.nanoTime());
        made.add(f);
        on(publisherLoop, () -> {
            stream.publish(f);
            return null;
        });
        org.awaitility.Awaitility.await().until(() -> s.frames.size() == 2);
        assertThat(s.frames).containsExactly("cue sei@40", "video@40");
        assertThat(stream.cues().recent()).extracting(Cue::payload).containsExactly("{\"sku\":\"A\"}");
    }

    /** The origin took the SEI cue and relays it beside the frame: an edge must not take it again. */
    @Test
    void aRelayedFramesSeiIsNoSecondCue() throws Exception {
        hub.streams().setSeiCueUuid(SEI_UUID);
        start();
        Seen s = subscribe(1);
        Frame f = Frame.relayed(Codec.H264, 40_000, 40_000, true, false, seiCueAndIdr(), System.nanoTime(),
                System.currentTimeMillis() * 1000, 1, 7);
        made.add(f);
        on(publisherLoop, () -> {
            stream.publish(f);
            return null;
        });
        org.awaitility.Awaitility.await().until(() -> s.frames.size() == 1);
        assertThat(s.frames).containsExactly("video@40");
        assertThat(stream.cues().delivered()).isZero();
    }

    private static final byte[] SEI_UUID = java.util.HexFormat.of().parseHex("6d6573686c6976652d6375652d736569");

    /** An SEI user_data_unregistered NAL with {@link #SEI_UUID} and {"sku":"A"}, then an IDR slice, length-prefixed. */
    private static io.netty.buffer.ByteBuf seiCueAndIdr() {
        byte[] text = "{\"sku\":\"A\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        io.netty.buffer.ByteBuf nals = Unpooled.buffer();
        nals.writeInt(1 + 2 + 16 + text.length + 1).writeByte(6).writeByte(5).writeByte(16 + text.length)
                .writeBytes(SEI_UUID).writeBytes(text).writeByte(0x80);
        nals.writeInt(2).writeByte(0x65).writeByte(0x88);
        return nals;
    }

    @Test
    void aFloodIsCutAtTheRateAndCountedWhileVideoFlows() throws Exception {
        start();
        Seen s = subscribe(0);
        publishVideo(0, true);
        int taken = 0;
        int refused = 0;
        for (int i = 0; i < 200; i++) {
            try {
                stream.cues().inject(new CueRequest("vote", "{}", CueTime.NEXT, 0, false));
                taken++;
            } catch (StreamCues.Refused e) {
                refused++;
                assertThat(e).hasMessageContaining("cue rate");
            }
        }
        // A second boundary may fall inside the loop: at most two windows' worth get through.
        assertThat(taken).isBetween(20, 40);
        assertThat(stream.cues().refused()).isEqualTo(refused);
        // Published cue frames count against the same rate.
        Cue published = new Cue("p1", "vote", "{}", 33_000, 0, 0, false, false);
        Frame cueFrame = published.toFrame(ByteBufAllocator.DEFAULT, System.nanoTime());
        made.add(cueFrame);
        on(publisherLoop, () -> {
            stream.publish(cueFrame);
            return null;
        });
        publishVideo(33, false);
        org.awaitility.Awaitility.await().until(() -> s.frames.contains("video@33"));
        assertThat(s.frames).filteredOn(f -> f.startsWith("video")).containsExactly("video@0", "video@33");
        assertThatThrownBy(() -> hub.streams().setCueRateLimit(0)).hasMessageContaining("cues.maxPerSecond");
    }
}
