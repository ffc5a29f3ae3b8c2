/**
 * RTP (RFC 3550) for WebRTC: header flyweights, packetisers that turn hub frames into RTP packets
 * once per stream (H.264 RFC 6184, HEVC RFC 7798, Opus RFC 7587), an H.264 depacketiser and a
 * reorder buffer for WHIP ingest. No SRTP and no RTCP here: those are their own packages.
 */
package io.meshlive.webrtc.rtp;
