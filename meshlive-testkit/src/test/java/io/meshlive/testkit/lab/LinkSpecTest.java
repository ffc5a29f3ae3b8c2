package io.meshlive.testkit.lab;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinkSpecTest {
    @Test
    void readsWhatItPrints() {
        LinkSpec spec = LinkSpec.parse("delay=40ms,jitter=5ms,loss=1.5%,rate=20mbit,buffer=128kb");
        assertEquals(new LinkSpec(40, 5, 1.5, 20_000_000, 128 * 1024), spec);
        assertEquals(spec, LinkSpec.parse(spec.toString()));
        assertEquals(LinkSpec.NONE, LinkSpec.parse("none"));
        assertEquals(1000, LinkSpec.parse("delay=1s").delayMillis());
    }

    @Test
    void aBadPartIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinkSpec.parse("delay=40ms,lost=2%"));
        assertTrue(e.getMessage().startsWith("link 'lost=2%': unknown setting"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LinkSpec.parse("loss=150%"));
        assertTrue(e.getMessage().contains("loss must be 0-100%"), e.getMessage());
    }

    @Test
    void theShaperQueuesBehindTheRateCapAndDropsWhenItsQueueIsFull() {
        // 8 Mbit/s: a 1000-byte packet takes 1 ms to serialise; a 10 kB queue holds 10 ms.
        LinkShaper udp = new LinkShaper(LinkSpec.delay(20).withRate(8_000_000).withBuffer(10_000), false, 1);
        long t0 = 1_000_000_000L;
        assertEquals(t0 + 1_000_000 + 20_000_000, udp.arrival(1000, t0));
        assertEquals(t0 + 2_000_000 + 20_000_000, udp.arrival(1000, t0), "second packet waits for the first");
        int sent = 2;
        while (udp.arrival(1000, t0) >= 0) {
            sent++;
        }
        assertEquals(LinkShaper.Fate.QUEUE_FULL, udp.fate());
        assertEquals(10, sent, "packets the bottleneck took before its 10 kB queue (the one on the wire included) filled");
    }

    @Test
    void tcpNeverDropsOrReordersButStallsInstead() {
        LinkShaper tcp = new LinkShaper(LinkSpec.delay(10).withJitter(9).withLoss(30), true, 7);
        long last = 0;
        int stalls = 0;
        for (int i = 0; i < 1000; i++) {
            long at = tcp.arrival(1400, 1_000_000_000L + i * 100_000L);
            assertTrue(at >= last, "in order");
            last = at;
            stalls += tcp.fate() == LinkShaper.Fate.STALLED ? 1 : 0;
        }
        System.out.println("tcp shaper: " + stalls + " stalls in 1000 segments at 30% loss");
        assertTrue(stalls > 200 && stalls < 400, "stalls: " + stalls);
    }
}
