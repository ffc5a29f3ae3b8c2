package io.meshlive.webrtc.rtcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Writes down every call as a line of text, SSRCs in hex, so tests compare what was parsed at a glance. */
final class RecordingHandler implements RtcpHandler {
    final List<String> calls = new ArrayList<>();

    @Override
    public void onSenderReport(long ssrc, long ntpTimestamp, long rtpTimestamp, long packetCount, long octetCount) {
        calls.add(String.format("sr %x ntp=%x rtp=%x packets=%d octets=%d",
                ssrc, ntpTimestamp, rtpTimestamp, packetCount, octetCount));
    }

    @Override
    public void onReportBlock(long reporterSsrc, long sourceSsrc, int fractionLost, int cumulativeLost,
                              long extendedHighestSeq, long jitter, long lastSr, long delaySinceLastSr) {
        calls.add(String.format("block %x about %x fraction=%d lost=%d highest=%x jitter=%d lsr=%x dlsr=%d",
                reporterSsrc, sourceSsrc, fractionLost, cumulativeLost, extendedHighestSeq, jitter, lastSr,
                delaySinceLastSr));
    }

    @Override
    public void onNack(long senderSsrc, long mediaSsrc, int lostSequence) {
        calls.add(String.format("nack %x %x %d", senderSsrc, mediaSsrc, lostSequence));
    }

    @Override
    public void onPli(long senderSsrc, long mediaSsrc) {
        calls.add(String.format("pli %x %x", senderSsrc, mediaSsrc));
    }

    @Override
    public void onFir(long senderSsrc, long mediaSsrc, int commandSequence) {
        calls.add(String.format("fir %x %x seq=%d", senderSsrc, mediaSsrc, commandSequence));
    }

    @Override
    public void onRemb(long senderSsrc, long bitrateBps, long[] ssrcs) {
        calls.add(String.format("remb %x %d %s", senderSsrc, bitrateBps, Arrays.toString(ssrcs)));
    }

    @Override
    public void onTransportFeedback(long senderSsrc, long mediaSsrc, ByteBuf fci) {
        calls.add(String.format("twcc %x %x %s", senderSsrc, mediaSsrc, ByteBufUtil.hexDump(fci)));
    }

    @Override
    public void onBye(long ssrc) {
        calls.add(String.format("bye %x", ssrc));
    }
}
