package io.meshlive.testkit.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real sockets through the emulator. A link can only make traffic later, never earlier, so the
 * assertions are lower bounds (delay, serialisation at the rate cap) and the loss counts the
 * seeded shaper decides; the figures are printed.
 */
@Timeout(60)
class LinkTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void tcpAddsTheDelayEachWayAndCapsTheRate() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 50, LOOPBACK)) {
            Thread server = TcpLink.thread("echo", () -> echo(echo));
            LinkSpec spec = LinkSpec.delay(25).withRate(8_000_000).withBuffer(64 * 1024);
            try (TcpLink link = TcpLink.start(new InetSocketAddress(LOOPBACK, 0), (InetSocketAddress) echo.getLocalSocketAddress(), spec);
                 Socket s = new Socket(LOOPBACK, link.port())) {
                s.setTcpNoDelay(true);
                OutputStream out = s.getOutputStream();
                DataInputStream in = new DataInputStream(s.getInputStream());
                long[] rtts = new long[10];
                for (int i = 0; i < rtts.length; i++) {
                    long t = System.nanoTime();
                    out.write(i);
                    out.flush();
                    assertEquals(i, in.read());
                    rtts[i] = System.nanoTime() - t;
                }
                Arrays.sort(rtts);
                System.out.printf("tcp link %s: round trip min %.1f ms, median %.1f ms (2 x delay = 50 ms)%n",
                        spec, rtts[0] / 1e6, rtts[rtts.length / 2] / 1e6);
                assertTrue(rtts[0] >= 50_000_000L, "a round trip crosses the link twice: " + rtts[0] / 1e6 + " ms");

                byte[] data = new byte[1_000_000];
                new Random(1).nextBytes(data);
                byte[] back = new byte[data.length];
                long t = System.nanoTime();
                Thread writer = TcpLink.thread("writer", () -> {
                    try {
                        out.write(data);
                        out.flush();
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                in.readFully(back);
                long nanos = System.nanoTime() - t;
                writer.join();
                assertArrayEquals(data, back, "bytes arrive intact and in order");
                double mbps = data.length * 8.0 / (nanos / 1e9) / 1e6;
                System.out.printf("tcp link: 1 MB echoed in %.2f s, %.2f Mbit/s each way (cap 8 Mbit/s); %s%n", nanos / 1e9, mbps, link.stats());
                // 1 MB at 8 Mbit/s takes at least 1 s to cross the bottleneck (each way is shaped on its own, in parallel).
                assertTrue(nanos >= 1_000_000_000L, "the rate cap: " + nanos / 1e6 + " ms");
            }
            echo.close();
            server.join(5000);
        }
    }

    @Test
    void tcpLossIsAStallNotACorruption() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 50, LOOPBACK)) {
            TcpLink.thread("echo", () -> echo(echo));
            LinkSpec spec = LinkSpec.delay(1).withLoss(5);
            try (TcpLink link = TcpLink.start(new InetSocketAddress(LOOPBACK, 0), (InetSocketAddress) echo.getLocalSocketAddress(), spec);
                 Socket s = new Socket(LOOPBACK, link.port())) {
                OutputStream out = s.getOutputStream();
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] chunk = new byte[1000];
                byte[] back = new byte[1000];
                for (int i = 0; i < 100; i++) {
                    Arrays.fill(chunk, (byte) i);
                    out.write(chunk);
                    in.readFully(back);
                    assertArrayEquals(chunk, back);
                }
                System.out.println("tcp link " + spec + ": " + link.stats());
                assertTrue(link.stats().stalls() > 0, "5% of 200 reads stalled: " + link.stats());
            }
        }
    }

    @Test
    void udpDelaysAndLosesDatagramsBothWays() throws Exception {
        try (DatagramSocket echo = new DatagramSocket(0, LOOPBACK)) {
            TcpLink.thread("udp-echo", () -> udpEcho(echo));
            LinkSpec spec = LinkSpec.delay(10).withJitter(2).withLoss(10);
            try (UdpLink link = UdpLink.start(new InetSocketAddress(LOOPBACK, 0), (InetSocketAddress) echo.getLocalSocketAddress(), spec);
                 DatagramSocket client = new DatagramSocket(0, LOOPBACK)) {
                client.setSoTimeout(150);
                InetSocketAddress to = new InetSocketAddress(LOOPBACK, link.port());
                int sent = 300;
                long minRtt = Long.MAX_VALUE;
                int received = 0;
                byte[] buf = new byte[2048];
                for (int i = 0; i < sent; i++) {
                    byte[] payload = ("probe " + i).getBytes();
                    long t = System.nanoTime();
                    client.send(new DatagramPacket(payload, payload.length, to));
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        client.receive(p);
                        // A late answer to an earlier probe may come first; only a match is timed.
                        if (new String(p.getData(), 0, p.getLength()).equals("probe " + i)) {
                            minRtt = Math.min(minRtt, System.nanoTime() - t);
                        }
                        received++;
                    } catch (SocketTimeoutException lost) {
                        // lost one way or the other
                    }
                }
                double loss = 100.0 * (sent - received) / sent;
                System.out.printf("udp link %s: %d of %d answered (round-trip loss %.1f%%, expected about 19%%), min round trip %.1f ms; %s%n",
                        spec, received, sent, loss, minRtt / 1e6, link.stats());
                assertTrue(minRtt >= 16_000_000L, "two crossings of 10 ms minus at most 2 ms jitter each: " + minRtt / 1e6);
                assertTrue(loss > 8 && loss < 32, "round-trip loss " + loss + "%");
                assertTrue(link.stats().lost() > 0, "the link counts what it dropped: " + link.stats());
            }
        }
    }

    @Test
    void udpBurstsQueueAtTheRateCapAndOverflowIsDropped() throws Exception {
        try (DatagramSocket sink = new DatagramSocket(0, LOOPBACK)) {
            sink.setReceiveBufferSize(4 * 1024 * 1024);
            sink.setSoTimeout(1500);
            // 1 Mbit/s: a 1000-byte datagram every 8 ms; the 20 kB queue holds 20 of them.
            LinkSpec spec = LinkSpec.NONE.withRate(1_000_000).withBuffer(20_000);
            try (UdpLink link = UdpLink.start(new InetSocketAddress(LOOPBACK, 0), (InetSocketAddress) sink.getLocalSocketAddress(), spec);
                 DatagramSocket client = new DatagramSocket(0, LOOPBACK)) {
                InetSocketAddress to = new InetSocketAddress(LOOPBACK, link.port());
                byte[] payload = new byte[1000];
                int sent = 100;
                long burst = System.nanoTime();
                for (int i = 0; i < sent; i++) {
                    client.send(new DatagramPacket(payload, payload.length, to));
                }
                long first = 0;
                long last = 0;
                int received = 0;
                byte[] buf = new byte[2048];
                try {
                    while (true) {
                        sink.receive(new DatagramPacket(buf, buf.length));
                        last = System.nanoTime();
                        first = received++ == 0 ? last : first;
                    }
                } catch (SocketTimeoutException done) {
                    // the burst is through
                }
                double mbps = received > 1 ? (received - 1) * 8000.0 / ((last - first) / 1e9) / 1e6 : 0;
                System.out.printf("udp link %s: burst of %d, %d delivered at %.2f Mbit/s; %s%n", spec, sent, received, mbps, link.stats());
                assertTrue(link.stats().queueDrops() > 0, "a burst of 100 kB overflows a 20 kB queue: " + link.stats());
                assertEquals(received, link.stats().packets(), "what the link forwarded is what arrived on loopback");
                // The n-th datagram cannot leave the bottleneck before n x 8 ms after the burst began.
                assertTrue(last - burst >= received * 8_000_000L, "the rate cap: " + (last - burst) / 1e6 + " ms for " + received);
            }
        }
    }

    private static void echo(ServerSocket server) {
        while (true) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            TcpLink.thread("echo-conn", () -> {
                try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // the test closed it
                }
            });
        }
    }

    private static void udpEcho(DatagramSocket socket) {
        byte[] buf = new byte[2048];
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                socket.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }
}
