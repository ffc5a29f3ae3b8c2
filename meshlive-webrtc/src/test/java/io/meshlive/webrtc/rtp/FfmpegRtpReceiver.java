package io.meshlive.webrtc.rtp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * ffmpeg as the receiving end: it reads RTP described by an SDP from a UDP port and writes the
 * elementary stream it depacketised, whose NAL units the test then compares with what was sent.
 */
final class FfmpegRtpReceiver {
    private FfmpegRtpReceiver() {
    }

    /**
     * Sends {@code packets} to an ffmpeg that depacketises them per {@code rtpmap} (e.g. "H264/90000")
     * and returns the NAL units of the Annex B stream it writes in {@code format} ("h264", "hevc").
     */
    static List<byte[]> receive(Path dir, String rtpmap, String fmtp, String format, List<byte[]> packets)
            throws IOException, InterruptedException {
        int pt = packets.get(0)[1] & 0x7F;
        int port = 2 * ThreadLocalRandom.current().nextInt(20_000, 30_000); // even, as RTP wants
        Path sdp = dir.resolve("in.sdp");
        Files.writeString(sdp, "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=meshlive\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=video " + port + " RTP/AVP " + pt + "\r\na=rtpmap:" + pt + " " + rtpmap + "\r\n"
                + (fmtp.isEmpty() ? "" : "a=fmtp:" + pt + " " + fmtp + "\r\n"));
        Path out = dir.resolve("out." + format);
        Path log = dir.resolve("ffmpeg.log");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-protocol_whitelist", "file,udp,rtp",
                "-i", sdp.toString(), "-c", "copy", "-f", format, "-y", out.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitBound(port, ffmpeg);
            try (DatagramSocket socket = new DatagramSocket()) {
                InetAddress loopback = InetAddress.getLoopbackAddress();
                for (int i = 0; i < packets.size(); i++) {
                    byte[] p = packets.get(i);
                    socket.send(new DatagramPacket(p, p.length, loopback, port));
                    if (i % 16 == 15) {
                        Thread.sleep(1); // stay under the receive buffer
                    }
                }
            }
            Thread.sleep(700);
        } finally {
            ffmpeg.destroy(); // SIGTERM: ffmpeg flushes what it has and exits
            if (!ffmpeg.waitFor(10, TimeUnit.SECONDS)) {
                ffmpeg.destroyForcibly();
            }
        }
        if (!Files.exists(out)) {
            throw new AssertionError("ffmpeg wrote nothing: " + Files.readString(log));
        }
        return annexBNalUnits(Files.readAllBytes(out));
    }

    /** Waits until ffmpeg has bound the port (IPv4 or dual-stack IPv6), so no packet is sent into the void. */
    private static void awaitBound(int port, Process ffmpeg) throws IOException, InterruptedException {
        String local = String.format(Locale.ROOT, ":%04X ", port);
        for (int i = 0; i < 200; i++) {
            for (String table : new String[] {"/proc/net/udp", "/proc/net/udp6"}) {
                Path path = Path.of(table);
                if (Files.exists(path) && Files.readAllLines(path).stream().skip(1)
                        .anyMatch(line -> line.trim().split("\\s+")[1].endsWith(local.trim()))) {
                    return;
                }
            }
            if (!ffmpeg.isAlive()) {
                throw new AssertionError("ffmpeg exited before listening");
            }
            Thread.sleep(25);
        }
        throw new AssertionError("ffmpeg did not bind UDP port " + port);
    }

    /** The NAL units of an Annex B stream, start codes and trailing zero bytes removed. */
    static List<byte[]> annexBNalUnits(byte[] stream) {
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i + 2 < stream.length; i++) {
            if (stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1) {
                starts.add(i + 3);
                i += 2;
            }
        }
        List<byte[]> units = new ArrayList<>();
        for (int n = 0; n < starts.size(); n++) {
            int from = starts.get(n);
            int to = n + 1 < starts.size() ? starts.get(n + 1) - 3 : stream.length;
            while (to > from && stream[to - 1] == 0) {
                to--;
            }
            units.add(Arrays.copyOfRange(stream, from, to));
        }
        return units;
    }
}
