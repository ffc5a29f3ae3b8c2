package io.meshlive.webrtc.dtls;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.meshlive.testkit.LeakRecorder;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client's datagrams, taken from a real handshake and then mutated (bytes changed, datagrams cut
 * short, dropped, repeated, or replaced by arbitrary bytes), into our server side of DTLS: the
 * records BouncyCastle parses for us, our fingerprint and SRTP-profile checks, and the queue between
 * the event loop and the handshake thread. The handshake must end, within its deadline, with a
 * {@link DtlsException} (or, for an unmutated replay, still fail: the server's random differs), never
 * with another exception or a hang, and nothing may leak. Jazzer runs the seeds in the normal build;
 * {@code meshlive-bench/figures/fuzz.sh Dtls} fuzzes.
 */
class DtlsFuzzTest {
    private static final Duration HANDSHAKE = Duration.ofMillis(100);
    /**
     * The client's datagrams of one whole, successful handshake, in the order it sent them; taken at
     * the first input, not in the class initializer, whose lambdas the handshake threads would wait on.
     */
    private static List<byte[]> clientFlights;
    private static final ExecutorService HANDSHAKES = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "dtls-fuzz");
        thread.setDaemon(true);
        return thread;
    });

    /** The handshake's buffers live on its own thread: leaks are found by PARANOID tracking, even while fuzzing. */
    @BeforeAll
    static void traceEveryBuffer() {
        LeakRecorder.traceEveryBuffer();
    }

    @FuzzTest(maxDuration = "30s")
    void serverHandshake(FuzzedDataProvider data) throws Exception {
        List<byte[]> datagrams = new ArrayList<>();
        if (clientFlights == null) {
            clientFlights = clientFlights();
        }
        for (byte[] flight : clientFlights) {
            switch (data.consumeInt(0, 5)) {
                case 0 -> { } // dropped
                case 1 -> datagrams.add(data.consumeBytes(1500)); // replaced by arbitrary bytes
                case 2 -> datagrams.add(java.util.Arrays.copyOf(flight, data.consumeInt(0, flight.length))); // cut short
                case 3 -> { // some bytes changed
                    byte[] changed = flight.clone();
                    for (int n = data.consumeInt(1, 4); n > 0 && changed.length > 0; n--) {
                        changed[data.consumeInt(0, changed.length - 1)] = data.consumeByte();
                    }
                    datagrams.add(changed);
                }
                case 4 -> { // sent twice
                    datagrams.add(flight);
                    datagrams.add(flight);
                }
                default -> datagrams.add(flight);
            }
        }
        DtlsTransport server = new DtlsTransport(DtlsRole.SERVER, Handshakes.SERVER_CERTIFICATE,
                Handshakes.CLIENT_CERTIFICATE.fingerprintSha256(), Handshakes.BOTH, ByteBuf::release, ByteBufAllocator.DEFAULT);
        try {
            for (byte[] d : datagrams) {
                server.receive(Unpooled.wrappedBuffer(d));
            }
            CompletableFuture<DtlsResult> result = server.handshake(HANDSHAKES, HANDSHAKE);
            try {
                result.get(HANDSHAKE.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof DtlsException)) {
                    throw new AssertionError("the handshake failed with something else than a DtlsException", e.getCause());
                }
            } catch (TimeoutException e) {
                throw new AssertionError("the handshake did not end within its deadline", e);
            }
        } finally {
            server.close();
        }
    }

    private static List<byte[]> clientFlights() {
        List<byte[]> sent = new CopyOnWriteArrayList<>();
        try (Handshakes pair = new Handshakes(Handshakes.BOTH, Handshakes.BOTH)) {
            pair.toServer.lose(datagram -> {
                sent.add(ByteBufUtil.getBytes(datagram));
                return false;
            });
            CompletableFuture<DtlsResult> server = pair.startServer();
            CompletableFuture<DtlsResult> client = pair.startClient();
            server.get(10, TimeUnit.SECONDS);
            client.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the handshake whose client datagrams the fuzzer mutates failed", e);
        }
        if (sent.isEmpty()) {
            throw new IllegalStateException("the client sent nothing");
        }
        return List.copyOf(sent);
    }
}
