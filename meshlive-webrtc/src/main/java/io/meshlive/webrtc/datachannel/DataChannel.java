package io.meshlive.webrtc.datachannel;

/**
 * One open data channel: the SCTP stream it runs on (both ways), and what its DATA_CHANNEL_OPEN
 * said. Partially reliable channels are served reliably: we do not offer FORWARD-TSN, and a
 * message that arrives late is still what the page asked for.
 */
public record DataChannel(int stream, String label, String protocol, boolean ordered) {
}
