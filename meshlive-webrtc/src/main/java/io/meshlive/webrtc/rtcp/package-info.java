/**
 * RTCP (RFC 3550) with the feedback WebRTC uses: generic NACK and PLI (RFC 4585), FIR
 * (RFC 5104), REMB (draft-alvestrand-rmcat-remb) and transport-wide congestion control
 * feedback (draft-holmer-rmcat-transport-wide-cc-extensions). Parsing calls a handler per
 * report, so nothing is allocated per packet; writing appends packets to a buffer.
 */
package io.meshlive.webrtc.rtcp;
