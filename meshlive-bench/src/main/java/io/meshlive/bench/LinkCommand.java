package io.meshlive.bench;

import io.meshlive.testkit.lab.LinkSpec;
import io.meshlive.testkit.lab.TcpLink;
import io.meshlive.testkit.lab.UdpLink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code bench link}: one emulated link (delay, jitter, loss, rate cap) between a listen address and a target. */
@Command(name = "link", mixinStandardHelpOptions = true,
        description = {"Forwards TCP and/or UDP from a listen address to a target as a slower, farther link would:"
                + " one-way delay and jitter, loss, and a rate cap with a bounded queue, each direction on its own.",
                "UDP datagrams are dropped at the loss rate (and when the queue is full); TCP cannot lose bytes, so a"
                        + " lost segment becomes a stall of one retransmission timeout (200 ms + a round trip) and the"
                        + " sender is slowed by backpressure instead of drops.",
                "Prints what it forwarded every report interval; runs until interrupted (Ctrl-C) or --duration."})
final class LinkCommand implements Callable<Integer> {
    @Option(names = "--listen", required = true, converter = Units.AddressConverter.class, paramLabel = "HOST:PORT",
            description = "where to listen")
    InetSocketAddress listen;

    @Option(names = "--to", required = true, converter = Units.AddressConverter.class, paramLabel = "HOST:PORT",
            description = "where to forward")
    InetSocketAddress target;

    @Option(names = "--link", defaultValue = "delay=20ms", paramLabel = "SPEC",
            description = "delay=40ms,jitter=5ms,loss=1%,rate=20mbit,buffer=256kb (any subset; default ${DEFAULT-VALUE})")
    String link;

    @Option(names = "--protocols", defaultValue = "tcp,udp", paramLabel = "LIST",
            description = "tcp, udp or both (default ${DEFAULT-VALUE})")
    String protocols;

    @Option(names = "--report", defaultValue = "5s", converter = Units.DurationConverter.class, paramLabel = "TIME",
            description = "report interval (default ${DEFAULT-VALUE})")
    Duration report;

    @Option(names = "--duration", converter = Units.DurationConverter.class, paramLabel = "TIME",
            description = "stop after this long (default: run until interrupted)")
    Duration duration;

    @Override
    public Integer call() throws Exception {
        LinkSpec spec = LinkSpec.parse(link);
        boolean tcp = protocols.contains("tcp");
        boolean udp = protocols.contains("udp");
        if (!tcp && !udp) {
            throw new IllegalArgumentException("--protocols: tcp, udp or tcp,udp");
        }
        ReportClock clock = new ReportClock(report, duration);
        return Interruptible.run(clock::stop, () -> {
            try (TcpLink t = tcp ? TcpLink.start(listen, target, spec) : null;
                 // With port 0, UDP takes the port TCP got, so one address serves both.
                 UdpLink u = udp ? UdpLink.start(t != null ? new InetSocketAddress(listen.getAddress(), t.port()) : listen, target, spec) : null) {
                int port = t != null ? t.port() : u.port();
                System.out.printf("link %s:%d -> %s (%s): %s%n", listen.getHostString(), port, target, protocols, spec);
                clock.start();
                while (clock.awaitReport()) {
                    System.out.println((t != null ? "tcp: " + t.stats() : "") + (t != null && u != null ? "; " : "")
                            + (u != null ? "udp: " + u.stats() : ""));
                }
            }
            return 0;
        });
    }
}
