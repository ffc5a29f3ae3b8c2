package io.meshlive.cluster.brain;

import io.meshlive.cluster.ClusterConfig;
import io.meshlive.cluster.store.CarriedStream;
import io.meshlive.cluster.store.NodeInfo;
import io.meshlive.cluster.store.NodeLoad;
import io.meshlive.core.StreamKey;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ViewerScheduleTest {
    private static final StreamKey SHOW = new StreamKey("live", "show");

    private static NodeInfo node(String id, String region, boolean carries) {
        return new NodeInfo(id, region, Set.of("edge"), Map.of("http", id + ".example:8080", "rtmp", id + ".example:1935"),
                new NodeLoad(0, 0, 1_000_000_000, 0.1, 0), 0,
                carries ? List.of(new CarriedStream("live/show", null, 1, 0, 0, 0)) : List.of());
    }

    private static ViewerSchedule schedule() {
        ClusterConfig.Schedule c = new ClusterConfig.Schedule();
        c.regions = Map.of("10.1.0.0/16", "west", "10.2.0.0/16", "mid", "10.3.0.0/16", "east");
        c.trustedProxies = List.of("192.0.2.1");
        c.otherRegionMs = 50;
        return new ViewerSchedule(c);
    }

    private final List<NodeInfo> nodes = List.of(node("w", "west", true), node("m", "mid", false), node("e", "east", false));

    @Test
    void measuredLinksRankRegionsNobodyConfiguredAndEachProtocolGetsItsUrl() {
        // east is 10 ms from mid and 60 ms from west (RTT 20 and 120): an east viewer goes east, then mid, then west.
        List<LinkReport> links = List.of(new LinkReport("e", "m", 20, 1, 0, 0), new LinkReport("e", "w", 120, 1, 0, 0));
        ViewerSchedule.Answer a = schedule().schedule(SHOW, "rtmp", "10.3.0.9", null, null, nodes, links);
        assertEquals("east", a.clientRegion());
        assertEquals(List.of("e", "m", "w"), a.nodes().stream().map(ViewerSchedule.Choice::node).toList());
        assertEquals("rtmp://e.example:1935/live/show", a.nodes().get(0).url());
        assertEquals("http://e.example:8080/live/show/index.m3u8",
                schedule().schedule(SHOW, "llhls", "10.3.0.9", null, null, nodes, links).nodes().get(0).url());
        assertEquals("http://e.example:8080/live/show.m3u8",
                schedule().schedule(SHOW, "hls", "10.3.0.9", null, null, nodes, links).nodes().get(0).url());
    }

    @Test
    void forwardedForIsBelievedOnlyFromATrustedProxy() {
        ViewerSchedule.Answer direct = schedule().schedule(SHOW, "flv", "198.51.100.7", "10.3.0.9", null, nodes, List.of());
        assertEquals("198.51.100.7", direct.client(), "a client cannot claim another address");
        assertNull(direct.clientRegion());
        assertEquals("w", direct.nodes().get(0).node(), "with no region known, the node carrying the stream comes first");
        ViewerSchedule.Answer proxied = schedule().schedule(SHOW, "flv", "192.0.2.1", "10.3.0.9", null, nodes, List.of());
        assertEquals("east", proxied.clientRegion());
        assertEquals("e", proxied.nodes().get(0).node());
    }

    @Test
    void anUnknownProtocolIsRefusedNamingTheAllowedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> schedule().schedule(SHOW, "gopher", "10.3.0.9", null, null, nodes, List.of()));
        assertTrue(e.getMessage().contains("whep"), e.getMessage());
    }
}
