package io.meshlive.server.it;

import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import com.fasterxml.jackson.databind.JsonNode;
import io.meshlive.testkit.NodeProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * The relay's figures, a benchmark and not a test: it asserts nothing and prints what it measured.
 * Runs only with {@code -Dmeshlive.figures=true} (see meshlive-bench/figures/cluster-relay.sh).
 *
 * <ul>
 *   <li>latency each hop adds (p50/p99, from the times carried in frames) on a 1-hop path
 *       (origin A → edge E) and a 3-hop path (A → core B → core C → edge D), 100 HTTP-FLV viewers per edge;</li>
 *   <li>the failover gap those 100 viewers on D see when C (D's parent) is killed with -9, and how many dropped;</li>
 *   <li>CPU and memory per relayed 2 Mbit/s stream on one hop (N streams A → E, one viewer each).</li>
 * </ul>
 */
@EnabledIfSystemProperty(named = "meshlive.figures", matches = "true")
class ClusterRelayFigures {
    private static final String HOST = ProcessCluster.HOST;
    private static final int VIEWERS = Integer.getInteger("meshlive.figures.viewers", 100);
    private static final int STREAMS = Integer.getInteger("meshlive.figures.streams", 8);
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux
    private ProcessCluster cluster;

    @BeforeEach
    void start() throws IOException {
        cluster = new ProcessCluster("figures", "  parentTimeoutMs: 300\n  parentRegions: {r2: r1}\n");
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    private List<FlvWatcher> viewers(NodeProcess n, String stream, int count) throws IOException {
        List<FlvWatcher> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            FlvWatcher w = FlvWatcher.start(HOST, n.httpPort(), stream);
            cluster.add(w);
            out.add(w);
        }
        return out;
    }

    private String hop(NodeProcess n, String stream) throws IOException, InterruptedException {
        for (JsonNode r : cluster.api(n, "/api/v1/cluster/relays").path("relays")) {
            if (r.path("stream").asText().equals("live/" + stream)) {
                JsonNode t = r.path("hopMicros").path("total");
                return String.format("%s <- %s: p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d frames", n.name(),
                        r.path("parent").asText(), t.path("p50").asLong() / 1000.0, t.path("p99").asLong() / 1000.0,
                        t.path("max").asLong() / 1000.0, t.path("count").asLong());
            }
        }
        return n.name() + ": not relaying " + stream;
    }

    /** The hop's p50 and p99 over the last second, in microseconds, or null when it relayed nothing then. */
    private long[] recentHop(NodeProcess n, String stream) throws IOException, InterruptedException {
        for (JsonNode r : cluster.api(n, "/api/v1/cluster/relays").path("relays")) {
            JsonNode recent = r.path("hopMicros").path("recent");
            if (r.path("stream").asText().equals("live/" + stream) && recent.path("count").asLong() > 0) {
                return new long[] {recent.path("p50").asLong(), recent.path("p99").asLong()};
            }
        }
        return null;
    }

    private static String steady(String node, List<long[]> seconds) {
        if (seconds.isEmpty()) {
            return node + ": nothing relayed";
        }
        long[] p50 = seconds.stream().mapToLong(x -> x[0]).sorted().toArray();
        long[] p99 = seconds.stream().mapToLong(x -> x[1]).sorted().toArray();
        return String.format("%s: p50 %.2f ms, p99 %.2f ms (worst second %.2f ms) over %d s", node, p50[p50.length / 2] / 1000.0,
                p99[p99.length / 2] / 1000.0, p99[p99.length - 1] / 1000.0, seconds.size());
    }

    private String behind(NodeProcess n, String stream) throws IOException, InterruptedException {
        for (JsonNode s : cluster.api(n, "/api/v1/streams").path("streams")) {
            if (s.path("stream").asText().equals(stream)) {
                JsonNode b = s.path("behindOriginMicros");
                return String.format("%s behind the origin's ingest (last second): p50 %.2f ms, p99 %.2f ms", n.name(),
                        b.path("p50").asLong() / 1000.0, b.path("p99").asLong() / 1000.0);
            }
        }
        return n.name() + ": no stream " + stream;
    }

    @Test
    void hopLatencyAndFailover() throws Exception {
        NodeProcess a = cluster.node("a", "o", "origin");
        NodeProcess b = cluster.node("b", "r1", "core");
        NodeProcess c = cluster.node("c", "r2", "core");
        NodeProcess d = cluster.node("d", "r2", "edge");
        NodeProcess e = cluster.node("e", "solo", "edge");
        ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), "rtmp://" + HOST + ":" + a.rtmpPort() + "/live/show");
        cluster.add(publisher);
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions()
                .until(() -> cluster.api(a, "/api/v1/streams").path("streams").path(0).path("bytesIn").asLong() > 100_000);
        List<FlvWatcher> onD = viewers(d, "show", VIEWERS);
        List<FlvWatcher> onE = viewers(e, "show", VIEWERS);
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions()
                .until(() -> onD.stream().allMatch(w -> w.videoFrames() > 30) && onE.stream().allMatch(w -> w.videoFrames() > 30));
        // A benchmark's measuring window, not a wait for a condition: each hop's last-second figures, every second.
        NodeProcess[] hops = {e, b, c, d};
        List<List<long[]>> seconds = new ArrayList<>();
        for (NodeProcess n : hops) {
            seconds.add(new ArrayList<>());
        }
        for (int s = 0; s < 20; s++) {
            Thread.sleep(1_000);
            for (int i = 0; i < hops.length; i++) {
                long[] recent = recentHop(hops[i], "show");
                if (recent != null) {
                    seconds.get(i).add(recent);
                }
            }
        }
        System.out.println("== latency each relay hop adds once warm, per second over 20 s (median of the p50s; median and worst of the p99s)");
        for (int i = 0; i < hops.length; i++) {
            System.out.println((i == 0 ? "1 hop:  " : i == 1 ? "3 hops: " : "        ") + steady(hops[i].name(), seconds.get(i)));
        }
        System.out.println("== latency each relay hop adds (arrival at the parent to arrival here), " + VIEWERS + " viewers per edge, since the start");
        System.out.println("1 hop:  " + hop(e, "show"));
        System.out.println("3 hops: " + hop(b, "show"));
        System.out.println("        " + hop(c, "show"));
        System.out.println("        " + hop(d, "show"));
        System.out.println(behind(e, "show"));
        System.out.println(behind(d, "show"));

        long[] gapsBefore = onD.stream().mapToLong(FlvWatcher::maxGapMillis).toArray();
        long[] framesAtKill = onD.stream().mapToLong(FlvWatcher::videoFrames).toArray();
        c.kill();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (int i = 0; i < onD.size(); i++) {
                if (!onD.get(i).isEnded() && onD.get(i).videoFrames() < framesAtKill[i] + 150) {
                    return false;
                }
            }
            return true;
        });
        long dropped = onD.stream().filter(FlvWatcher::isEnded).count();
        long worst = onD.stream().mapToLong(FlvWatcher::maxGapMillis).max().orElse(-1);
        long worstBefore = java.util.Arrays.stream(gapsBefore).max().orElse(-1);
        System.out.printf("== failover: kill -9 of D's parent C with %d HTTP-FLV viewers on D: longest gap %d ms "
                + "(longest before the kill %d ms), %d viewer(s) dropped; D now %s%n", VIEWERS, worst, worstBefore, dropped,
                hop(d, "show"));
    }

    @Test
    void relayCostPerStream() throws Exception {
        NodeProcess a = cluster.node("a", "o", "origin");
        NodeProcess e = cluster.node("e", "solo", "edge");
        Path file = cluster.dir().resolve("2mbit.flv");
        Ffmpeg.record(TestPattern.live().heavy("2000k"), Duration.ofSeconds(20), file);
        Thread.sleep(5_000);
        long rssBefore = rssKb(e);
        long cpuBefore = cpuTicks(e);
        long t0 = System.nanoTime();
        Thread.sleep(10_000);
        double idleCpu = (cpuTicks(e) - cpuBefore) / (double) TICKS_PER_SECOND / ((System.nanoTime() - t0) / 1e9);
        List<FlvWatcher> viewers = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            cluster.add(Ffmpeg.publishCopy(file, "rtmp://" + HOST + ":" + a.rtmpPort() + "/live/s" + i));
        }
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> {
            int live = 0;
            for (JsonNode s : cluster.api(a, "/api/v1/streams").path("streams")) {
                live += s.path("bytesIn").asLong() > 100_000 ? 1 : 0;
            }
            return live == STREAMS;
        });
        for (int i = 0; i < STREAMS; i++) {
            String name = "s" + i;
            await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> {
                viewers.add(FlvWatcher.start(HOST, e.httpPort(), name));
                return true;
            });
            cluster.add(viewers.get(viewers.size() - 1));
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> viewers.stream().allMatch(w -> w.videoFrames() > 30));
        Thread.sleep(5_000);
        long cpu0 = cpuTicks(e);
        long t1 = System.nanoTime();
        Thread.sleep(20_000);
        double busyCpu = (cpuTicks(e) - cpu0) / (double) TICKS_PER_SECOND / ((System.nanoTime() - t1) / 1e9);
        long rssAfter = rssKb(e);
        System.out.printf("== relay cost on the edge E (1 hop, %d streams of 2 Mbit/s, one HTTP-FLV viewer each): "
                        + "CPU %.1f %% of a core per stream (%.1f %% idle, %.1f %% with the streams); RSS +%d KB per stream%n",
                STREAMS, (busyCpu - idleCpu) * 100 / STREAMS, idleCpu * 100, busyCpu * 100, (rssAfter - rssBefore) / STREAMS);
    }

    private static long cpuTicks(NodeProcess n) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(n.pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
    }

    private static long rssKb(NodeProcess n) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(n.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
