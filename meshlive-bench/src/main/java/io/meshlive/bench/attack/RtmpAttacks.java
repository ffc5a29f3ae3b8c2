package io.meshlive.bench.attack;

import io.meshlive.bench.attack.Attacks.Outcome;
import io.meshlive.rtmp.RtmpChunkWriter;
import io.meshlive.rtmp.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attacks of {@code bench attack} on the node's RTMP listener: an 8 MiB connect, a flood of
 * half-sent ones, publishers each holding most of a large message, names built to forge log lines
 * or walk out of the stream space, and malformed chunk streams. Each speaks raw RTMP
 * ({@link RawRtmp}) and answers whether the node closed the offender in time.
 */
final class RtmpAttacks {
    private final AttackCommand o;

    RtmpAttacks(AttackCommand options) {
        this.o = options;
    }

    Outcome rtmpHugeConnect() throws Exception {
        try (RawRtmp c = RawRtmp.connect(o.host, o.rtmpPort).handshake()) {
            byte[] connect = RawRtmp.command(0, "connect", 1.0, RawRtmp.connectProps("a".repeat(8 << 20)));
            long start = System.nanoTime();
            boolean all = c.send(connect);
            long closed = c.awaitClosed(3000);
            return Outcome.of(closed >= 0, "connect with an 8 MiB app name: %s, closed %s",
                    all ? "all sent" : "cut while sending", closed >= 0 ? "after " + (System.nanoTime() - start) / 1_000_000 + " ms" : "never (3 s)");
        }
    }

    Outcome rtmpConnectFlood() throws Exception {
        int closed = 0;
        List<RawRtmp> conns = new ArrayList<>();
        try {
            byte[] head = RawRtmp.command(0, "connect", 1.0, RawRtmp.connectProps("a".repeat(8 << 20)));
            byte[] part = java.util.Arrays.copyOf(head, 4 << 20);
            for (int i = 0; i < o.flood; i++) {
                RawRtmp c = RawRtmp.connect(o.host, o.rtmpPort).handshake();
                conns.add(c);
                c.send(part);
            }
            for (RawRtmp c : conns) {
                if (c.awaitClosed(3000) >= 0) {
                    closed++;
                }
            }
        } finally {
            for (RawRtmp c : conns) {
                c.close();
            }
        }
        return Outcome.of(closed == o.flood, "%d of %d connections sending half of an 8 MiB connect closed", closed, o.flood);
    }

    Outcome rtmpPartialBudget() throws Exception {
        List<RawRtmp> conns = new ArrayList<>();
        int closed = 0;
        try {
            byte[] most = RawRtmp.videoMessage(o.messageBytes, 0.95);
            for (int i = 0; i < o.holders; i++) {
                RawRtmp c = RawRtmp.connect(o.host, o.rtmpPort).handshake();
                conns.add(c);
                c.start(o.app, "hog" + i, true);
                c.send(most);
            }
            for (RawRtmp c : conns) {
                if (c.awaitClosed(300) >= 0) {
                    closed++;
                }
            }
        } finally {
            for (RawRtmp c : conns) {
                c.close();
            }
        }
        long heldMb = (long) (o.holders - closed) * o.messageBytes * 95 / 100 >> 20;
        return Outcome.of(closed > 0 || heldMb <= 256, "%d publishers each holding 95%% of a %d MiB message: %d closed, about %d MiB held",
                o.holders, o.messageBytes >> 20, closed, heldMb);
    }

    Outcome rtmpNameInjection() throws Exception {
        long echoed = 0;
        int closed = 0;
        String[][] names = {{o.app, "evil\nINFO forged line"}, {"li\u0000ve", "x"}, {o.app, "n".repeat(60_000)}, {"..", "x"}, {o.app, "../../etc/passwd"}};
        for (String[] n : names) {
            try (RawRtmp c = RawRtmp.connect(o.host, o.rtmpPort).handshake()) {
                c.start(n[0], n[1], true);
                c.socket().setSoTimeout(3000);
                long start = System.nanoTime();
                RawHttp.Answer a = RawHttp.read(c.socket(), 1 << 20);
                echoed = Math.max(echoed, a.bytes());
                if ((System.nanoTime() - start) / 1_000_000 < 3000) {
                    closed++;
                }
            }
        }
        return Outcome.of(closed == names.length && echoed < 8192, "%d of %d bad names (newline, NUL, 60 KB, traversal) refused and closed; largest reply %d bytes",
                closed, names.length, echoed);
    }

    Outcome rtmpBadChunks() throws Exception {
        List<String> failed = new ArrayList<>();
        Map<String, byte[]> inputs = new LinkedHashMap<>();
        inputs.put("fmt-3 first chunk", new byte[] {(byte) 0xC3, 1, 2, 3});
        inputs.put("16 MiB length", ByteBufUtil.decodeHexDump("06000000ffffff0901000000"));
        inputs.put("chunk size 0", ByteBufUtil.decodeHexDump("02000000000004010000000000000000"));
        inputs.put("deep AMF", deepAmf(100_000));
        inputs.put("200 chunk streams", manyChunkStreams());
        for (Map.Entry<String, byte[]> e : inputs.entrySet()) {
            try (RawRtmp c = RawRtmp.connect(o.host, o.rtmpPort).handshake()) {
                c.send(e.getValue());
                if (c.awaitClosed(3000) < 0) {
                    failed.add(e.getKey());
                }
            }
        }
        return Outcome.of(failed.isEmpty(), "%d of %d malformed inputs closed their session%s", inputs.size() - failed.size(), inputs.size(),
                failed.isEmpty() ? "" : "; left open: " + failed);
    }

    private static byte[] deepAmf(int depth) {
        ByteBuf body = Unpooled.buffer();
        body.writeByte(2).writeShort(7).writeBytes("connect".getBytes(StandardCharsets.US_ASCII));
        body.writeByte(0).writeLong(Double.doubleToLongBits(1));
        for (int i = 0; i < depth && body.readableBytes() < 60_000; i++) {
            body.writeByte(3).writeShort(1).writeByte('a'); // object { a: object { a: ...
        }
        ByteBuf out = Unpooled.buffer();
        try {
            RtmpChunkWriter.write(out, 3, RtmpMessage.COMMAND_AMF0, 0, 0, body, RawRtmp.CHUNK);
            return ByteBufUtil.getBytes(out);
        } finally {
            body.release();
            out.release();
        }
    }

    private static byte[] manyChunkStreams() {
        ByteBuf out = Unpooled.buffer();
        for (int csid = 64; csid < 264; csid++) {
            out.writeByte(0).writeByte(csid - 64).writeMedium(0).writeMedium(1000).writeByte(9).writeIntLE(1).writeZero(10);
        }
        try {
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }
}
