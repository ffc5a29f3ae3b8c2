package io.meshlive.webrtc.dtls;

import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one DTLS handshake costs each side in CPU, in memory (no network): the figure that says how
 * many handshakes a second one core can take. Printed, not asserted (the machine is shared).
 */
class DtlsHandshakeCostTest {
    private static final int WARM_UP = 30;
    private static final int MEASURED = 100;

    @Test
    void printsTheCpuEachSideSpendsPerHandshake() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        AtomicLong serverNanos = new AtomicLong();
        AtomicLong clientNanos = new AtomicLong();
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dtls-cost");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Long> wall = new ArrayList<>();
            for (int i = 0; i < WARM_UP + MEASURED; i++) {
                if (i == WARM_UP) {
                    serverNanos.set(0);
                    clientNanos.set(0);
                }
                Wire toClient = new Wire();
                Wire toServer = new Wire();
                DtlsTransport server = new DtlsTransport(DtlsRole.SERVER, Handshakes.SERVER_CERTIFICATE,
                        Handshakes.CLIENT_CERTIFICATE.fingerprintSha256(), Handshakes.BOTH, toClient, ByteBufAllocator.DEFAULT);
                DtlsTransport client = new DtlsTransport(DtlsRole.CLIENT, Handshakes.CLIENT_CERTIFICATE,
                        Handshakes.SERVER_CERTIFICATE.fingerprintSha256(), Handshakes.BOTH, toServer, ByteBufAllocator.DEFAULT);
                toClient.connect(client);
                toServer.connect(server);
                long start = System.nanoTime();
                CompletableFuture<DtlsResult> s = server.handshake(timed(pool, threads, serverNanos), Handshakes.TIMEOUT);
                CompletableFuture<DtlsResult> c = client.handshake(timed(pool, threads, clientNanos), Handshakes.TIMEOUT);
                assertThat(c.get(10, TimeUnit.SECONDS).keyingMaterial()).isEqualTo(s.get(10, TimeUnit.SECONDS).keyingMaterial());
                if (i >= WARM_UP) {
                    wall.add(System.nanoTime() - start);
                }
                server.close();
                client.close();
            }
            wall.sort(null);
            System.out.printf("DTLS handshake CPU, in memory, %d warm handshakes: server %.2f ms, client %.2f ms each; wall median %.2f ms%n",
                    MEASURED, serverNanos.get() / 1e6 / MEASURED, clientNanos.get() / 1e6 / MEASURED, wall.get(wall.size() / 2) / 1e6);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs each task on {@code pool} and adds the CPU time its thread spent on it to {@code total}. */
    private static java.util.concurrent.Executor timed(ExecutorService pool, ThreadMXBean threads, AtomicLong total) {
        return task -> pool.execute(() -> {
            long before = threads.getCurrentThreadCpuTime();
            try {
                task.run();
            } finally {
                total.addAndGet(threads.getCurrentThreadCpuTime() - before);
            }
        });
    }
}
