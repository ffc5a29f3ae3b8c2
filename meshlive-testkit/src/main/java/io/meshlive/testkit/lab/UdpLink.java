package io.meshlive.testkit.lab;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A UDP forwarder between a listen address and a target that behaves like a slower, farther link
 * ({@link LinkSpec}, each direction shaped on its own): datagrams are delayed, jittered (and so may
 * be reordered, as on a real path), dropped at the loss rate, and tail-dropped when the rate cap's
 * queue is full. Each client address is a flow with its own socket towards the target, so the
 * target's answers find their way back. At most {@link #MAX_FLOWS} flows; datagrams from more
 * clients are dropped. Datagrams in flight are bounded by {@link #MAX_IN_FLIGHT} bytes per link.
 */
public final class UdpLink implements AutoCloseable {
    static final int MAX_FLOWS = 256;
    static final long MAX_IN_FLIGHT = 64L * 1024 * 1024;
    private static final int MAX_DATAGRAM = 65_535;
    private static final AtomicLong SEEDS = new AtomicLong(1_000_003);

    private final DatagramSocket listen;
    private final InetSocketAddress target;
    private final LinkSpec spec;
    /** Null: every flow shaped by {@link #spec}, sharing one bottleneck on the way in. */
    private final LinkPolicy policy;
    private final LinkStats stats = new LinkStats();
    private final Map<SocketAddress, Flow> flows = new ConcurrentHashMap<>();
    private final DelayQueue<Scheduled> due = new DelayQueue<>();
    private final AtomicLong inFlight = new AtomicLong();
    private final LinkShaper up;
    private volatile boolean closed;
    private volatile Thread sender;

    private UdpLink(DatagramSocket listen, InetSocketAddress target, LinkSpec spec, LinkPolicy policy) {
        this.listen = listen;
        this.target = target;
        this.spec = spec;
        this.policy = policy;
        this.up = new LinkShaper(spec, false, SEEDS.getAndIncrement());
    }

    /** Listens on {@code listen} (port 0: any free one) and forwards datagrams to {@code target} and back. */
    public static UdpLink start(InetSocketAddress listen, InetSocketAddress target, LinkSpec spec) throws IOException {
        return start(listen, target, spec, null);
    }

    /**
     * As {@link #start(InetSocketAddress, InetSocketAddress, LinkSpec)}, each client's flow shaped
     * (both ways, with a bottleneck of its own) by what {@code policy} says for the client's address,
     * asked again for every datagram.
     */
    public static UdpLink start(InetSocketAddress listen, InetSocketAddress target, LinkPolicy policy) throws IOException {
        return start(listen, target, LinkSpec.NONE, policy);
    }

    private static UdpLink start(InetSocketAddress listen, InetSocketAddress target, LinkSpec spec, LinkPolicy policy)
            throws IOException {
        DatagramSocket socket = new DatagramSocket(listen);
        socket.setReceiveBufferSize(4 * 1024 * 1024);
        UdpLink link = new UdpLink(socket, target, spec, policy);
        TcpLink.thread("udp-link-in-" + socket.getLocalPort(), link::fromClients);
        link.sender = TcpLink.thread("udp-link-send-" + socket.getLocalPort(), link::sendDue);
        return link;
    }

    public int port() {
        return listen.getLocalPort();
    }

    public LinkSpec spec() {
        return spec;
    }

    public LinkStats stats() {
        return stats;
    }

    /** A client's flow: its own socket towards the target, and the shapers of both ways (the way in shared without a policy). */
    private final class Flow {
        final SocketAddress client;
        final DatagramSocket toTarget;
        final LinkShaper up;
        final LinkShaper down;

        Flow(InetSocketAddress client) throws IOException {
            this.client = client;
            if (policy == null) {
                this.up = UdpLink.this.up;
                this.down = new LinkShaper(spec, false, SEEDS.getAndIncrement());
            } else {
                Supplier<LinkSpec> specs = () -> policy.specFor(client.getAddress());
                this.up = new LinkShaper(specs, false, SEEDS.getAndIncrement());
                this.down = new LinkShaper(specs, false, SEEDS.getAndIncrement());
            }
            this.toTarget = new DatagramSocket();
            toTarget.setReceiveBufferSize(4 * 1024 * 1024);
            TcpLink.thread("udp-link-back-" + toTarget.getLocalPort(), this::fromTarget);
        }

        private void fromTarget() {
            byte[] buf = new byte[MAX_DATAGRAM];
            while (!closed) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    toTarget.receive(p);
                } catch (IOException e) {
                    return;
                }
                shape(down, p, listen, client);
            }
        }
    }

    private void fromClients() {
        byte[] buf = new byte[MAX_DATAGRAM];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                listen.receive(p);
            } catch (IOException e) {
                return;
            }
            Flow flow = flows.get(p.getSocketAddress());
            if (flow == null) {
                if (flows.size() >= MAX_FLOWS) {
                    stats.queueDrops.incrementAndGet();
                    continue;
                }
                try {
                    flow = new Flow((InetSocketAddress) p.getSocketAddress());
                } catch (IOException e) {
                    continue;
                }
                flows.put(p.getSocketAddress(), flow);
                stats.connections.incrementAndGet();
            }
            shape(flow.up, p, flow.toTarget, target);
        }
    }

    /** Decides one datagram's fate and, unless dropped, queues a copy to be sent when it arrives. */
    private void shape(LinkShaper shaper, DatagramPacket p, DatagramSocket via, SocketAddress to) {
        long at;
        synchronized (shaper) {
            at = shaper.arrival(p.getLength(), System.nanoTime());
            if (at >= 0 && inFlight.get() + p.getLength() > MAX_IN_FLIGHT) {
                stats.queueDrops.incrementAndGet();
                return;
            }
            stats.count(shaper.fate(), p.getLength());
        }
        if (at < 0) {
            return;
        }
        byte[] copy = java.util.Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength());
        inFlight.addAndGet(copy.length);
        due.put(new Scheduled(at, new DatagramPacket(copy, copy.length, to), via));
    }

    private void sendDue() {
        while (!closed) {
            Scheduled s;
            try {
                s = due.take();
            } catch (InterruptedException e) {
                return;
            }
            inFlight.addAndGet(-s.packet.getLength());
            try {
                s.via.send(s.packet);
            } catch (IOException e) {
                // the target or client is gone: the datagram is lost, as it would be
            }
        }
    }

    private record Scheduled(long at, DatagramPacket packet, DatagramSocket via) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(at, ((Scheduled) o).at);
        }
    }

    @Override
    public void close() {
        closed = true;
        listen.close();
        if (sender != null) {
            sender.interrupt();
        }
        flows.values().forEach(f -> f.toTarget.close());
        flows.clear();
        due.clear();
    }
}
