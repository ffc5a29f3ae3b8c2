package io.meshlive.webrtc.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * RTP packets of one H.264 SSRC, in sequence order, to access units of length-prefixed NAL units
 * (RFC 6184 packetization-mode 1: single NAL unit packets, STAP-A, FU-A). An access unit ends at
 * the marker bit, or at a packet with another timestamp when a sender leaves the marker out.
 *
 * <p>An access unit with a lost or malformed part is dropped, and so is every one after it until
 * the next IDR, because the pictures in between reference what was lost; the stream also starts
 * at its first IDR. Filler data is dropped; access unit delimiters and SEI pass through. One per
 * SSRC, on one thread.
 */
public final class H264Depacketizer {
    private static final int LENGTH_SIZE = 4;
    private static final int NAL_IDR = 5;
    private static final int NAL_SPS = 7;
    private static final int NAL_PPS = 8;
    private static final int NAL_FILLER = 12;
    private static final int STAP_A = 24;
    private static final int FU_A = 28;
    /** Beyond this an access unit is taken for a sender that never ends one, not for a picture. */
    private static final int MAX_ACCESS_UNIT = 16 * 1024 * 1024;

    private final ByteBufAllocator alloc;
    private final AccessUnitSink sink;

    /** NAL units of the open access unit so far; null until its first one. */
    private ByteBuf accessUnit;
    private boolean open;
    private long timestamp;
    private boolean keyframe;
    /** Part of the open access unit was lost or malformed: it will be dropped. */
    private boolean broken;
    /** Index in {@link #accessUnit} of the length of the NAL unit FU-A packets are building, or -1. */
    private int fragmentStart = -1;
    private boolean waitingForKeyframe = true;
    private byte[] sps;
    private byte[] pps;
    private long dropped;

    public H264Depacketizer(ByteBufAllocator alloc, AccessUnitSink sink) {
        this.alloc = alloc;
        this.sink = sink;
    }

    /**
     * Takes the next packet of the SSRC; the caller keeps ownership of {@code rtpPacket} and its indexes.
     *
     * @param sequenceGap packets were lost just before this one
     * @throws RtpException when the packet is malformed; the access unit it belongs to is dropped
     */
    public void packet(ByteBuf rtpPacket, boolean sequenceGap) throws RtpException {
        if (sequenceGap) {
            lose();
        }
        int header;
        int padding;
        try {
            header = RtpHeader.headerLength(rtpPacket);
            padding = RtpHeader.paddingLength(rtpPacket);
        } catch (RtpException e) {
            lose();
            throw e;
        }
        long ts = RtpHeader.timestamp(rtpPacket);
        if (open && ts != timestamp) {
            finish();
        }
        if (!open) {
            open = true;
            timestamp = ts;
            keyframe = false;
            // The lost packets may have been this access unit's first ones.
            broken = sequenceGap;
        }
        try {
            if (!broken) {
                payload(rtpPacket, rtpPacket.readerIndex() + header, rtpPacket.readableBytes() - header - padding);
            }
        } catch (RtpException e) {
            lose();
            throw e;
        } finally {
            if (RtpHeader.marker(rtpPacket)) {
                finish();
            }
        }
    }

    /** Access units received at least in part and not delivered: lost parts, malformed, or waiting for an IDR. */
    public long droppedAccessUnits() {
        return dropped;
    }

    /** Releases the access unit being reassembled; call when the SSRC goes away. */
    public void close() {
        discard();
        open = false;
    }

    private void payload(ByteBuf p, int offset, int length) throws RtpException {
        if (length == 0) {
            return; // padding-only packets probe bandwidth
        }
        int indicator = p.getUnsignedByte(offset);
        int type = indicator & 0x1F;
        if (fragmentStart >= 0 && type != FU_A) {
            throw new RtpException("NAL unit type " + type + " inside an unfinished FU-A");
        }
        if (type >= 1 && type <= 23) {
            appendNal(p, offset, length);
        } else if (type == STAP_A) {
            aggregation(p, offset + 1, offset + length);
        } else if (type == FU_A) {
            fragment(p, indicator, offset, length);
        } else {
            throw new RtpException("RTP H.264 payload type " + type + " (packetization-mode 1 has 1..23, STAP-A, FU-A)");
        }
    }

    private void aggregation(ByteBuf p, int pos, int end) throws RtpException {
        if (pos == end) {
            throw new RtpException("empty STAP-A");
        }
        while (pos < end) {
            int size = end - pos < 2 ? -1 : p.getUnsignedShort(pos);
            if (size <= 0 || size > end - pos - 2) {
                throw new RtpException("STAP-A NAL unit size " + size + " with " + (end - pos - 2) + " bytes left");
            }
            appendNal(p, pos + 2, size);
            pos += 2 + size;
        }
    }

    private void fragment(ByteBuf p, int indicator, int offset, int length) throws RtpException {
        if (length < 2) {
            throw new RtpException("FU-A without its FU header");
        }
        int fu = p.getUnsignedByte(offset + 1);
        boolean start = (fu & 0x80) != 0;
        boolean end = (fu & 0x40) != 0;
        if (start && end) {
            throw new RtpException("FU-A with both start and end bits: a whole NAL unit in one fragment");
        }
        if (start) {
            if (fragmentStart >= 0) {
                throw new RtpException("FU-A start inside an unfinished FU-A");
            }
            fragmentStart = beginNal(1 + length - 2);
            accessUnit.writeByte((indicator & 0xE0) | (fu & 0x1F)); // the NAL header the FU indicator stood for
        } else if (fragmentStart < 0) {
            // The start went missing before this stream reached us (a sender joined mid-picture).
            lose();
            return;
        } else {
            ensureRoom(length - 2);
        }
        accessUnit.writeBytes(p, offset + 2, length - 2);
        if (end) {
            completeNal(fragmentStart);
            fragmentStart = -1;
        }
    }

    private void appendNal(ByteBuf p, int offset, int length) throws RtpException {
        int start = beginNal(length);
        accessUnit.writeBytes(p, offset, length);
        completeNal(start);
    }

    /** Writes a length placeholder for a NAL unit about to be written and returns its index. */
    private int beginNal(int length) throws RtpException {
        if (accessUnit == null) {
            accessUnit = alloc.buffer();
        }
        ensureRoom(LENGTH_SIZE + length);
        int start = accessUnit.writerIndex();
        accessUnit.writeInt(0);
        return start;
    }

    private void ensureRoom(int more) throws RtpException {
        if (accessUnit.readableBytes() + more > MAX_ACCESS_UNIT) {
            throw new RtpException("access unit over " + MAX_ACCESS_UNIT + " bytes");
        }
    }

    private void completeNal(int start) {
        int length = accessUnit.writerIndex() - start - LENGTH_SIZE;
        accessUnit.setInt(start, length);
        int nal = start + LENGTH_SIZE;
        switch (accessUnit.getByte(nal) & 0x1F) {
            case NAL_IDR -> keyframe = true;
            case NAL_SPS -> sps = latest(sps, nal, length);
            case NAL_PPS -> pps = latest(pps, nal, length);
            case NAL_FILLER -> accessUnit.writerIndex(start);
            default -> {
            }
        }
    }

    /** {@code current} when the NAL unit repeats it (as encoders do before every IDR), else a copy of the new one. */
    private byte[] latest(byte[] current, int nal, int length) {
        if (current != null && current.length == length) {
            int i = 0;
            while (i < length && current[i] == accessUnit.getByte(nal + i)) {
                i++;
            }
            if (i == length) {
                return current;
            }
        }
        return ByteBufUtil.getBytes(accessUnit, nal, length);
    }

    /** Packets were lost or malformed: the open access unit is dropped and so is what follows until an IDR. */
    private void lose() {
        waitingForKeyframe = true;
        if (open) {
            broken = true;
            discard();
        }
    }

    private void finish() {
        if (fragmentStart >= 0) {
            broken = true; // the FU-A's end never came
        }
        boolean hasNals = accessUnit != null && accessUnit.isReadable();
        open = false;
        fragmentStart = -1;
        if (!broken && hasNals && (keyframe || !waitingForKeyframe)) {
            ByteBuf nals = accessUnit;
            accessUnit = null;
            if (keyframe) {
                waitingForKeyframe = false;
            }
            sink.accessUnit(nals, timestamp, keyframe, sps, pps);
        } else {
            if (broken || hasNals) {
                dropped++;
            }
            discard();
        }
    }

    private void discard() {
        if (accessUnit != null) {
            accessUnit.release();
            accessUnit = null;
        }
        fragmentStart = -1;
    }
}
