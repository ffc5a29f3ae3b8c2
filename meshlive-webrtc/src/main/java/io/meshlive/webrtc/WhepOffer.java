package io.meshlive.webrtc;

import io.meshlive.webrtc.rtp.AbsSendTime;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The SDP offer a WHEP viewer posts, as the bench's players and this node's own warm-up
 * ({@link WarmUpViewer}) make it: audio and video, both receive-only and BUNDLEd on one
 * transport with RTP and RTCP muxed, Opus and H.264 (packetization mode 1, constrained baseline
 * and high profile) as a browser offers them. {@code a=setup:active} makes the viewer the DTLS client.
 * No NACK or PLI: the bench neither asks for retransmissions nor sends keyframe requests, so loss
 * shows as loss. A player that reports a bandwidth estimate offers goog-remb and abs-send-time,
 * as a browser does.
 */
public final class WhepOffer {
    private static final int OPUS = 111;
    private static final int H264_BASELINE = 96;
    private static final int H264_HIGH = 97;
    private static final int ABS_SEND_TIME_ID = 3;

    private WhepOffer() {
    }

    /**
     * @param fingerprintSdp our certificate's {@code a=fingerprint} value, "sha-256 AB:CD:..."
     * @param remb           offer REMB feedback and the abs-send-time extension it is computed from
     */
    public static String sdp(String iceUfrag, String icePassword, String fingerprintSdp, boolean remb) {
        String transport = String.join("\r\n", "c=IN IP4 0.0.0.0", "a=ice-ufrag:" + iceUfrag, "a=ice-pwd:" + icePassword,
                "a=fingerprint:" + fingerprintSdp, "a=setup:active");
        return String.join("\r\n",
                "v=0",
                "o=- " + ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE) + " 2 IN IP4 127.0.0.1",
                "s=-",
                "t=0 0",
                "a=group:BUNDLE 0 1",
                "m=audio 9 UDP/TLS/RTP/SAVPF " + OPUS,
                transport,
                "a=mid:0",
                "a=recvonly",
                "a=rtcp-mux",
                "a=rtpmap:" + OPUS + " opus/48000/2",
                "a=fmtp:" + OPUS + " minptime=10;useinbandfec=1",
                "m=video 9 UDP/TLS/RTP/SAVPF " + H264_BASELINE + " " + H264_HIGH,
                transport,
                "a=mid:1",
                "a=recvonly",
                "a=rtcp-mux",
                "a=rtpmap:" + H264_BASELINE + " H264/90000",
                "a=fmtp:" + H264_BASELINE + " level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
                "a=rtpmap:" + H264_HIGH + " H264/90000",
                "a=fmtp:" + H264_HIGH + " level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=640c1f",
                remb ? String.join("\r\n", "a=rtcp-fb:" + H264_BASELINE + " goog-remb", "a=rtcp-fb:" + H264_HIGH + " goog-remb",
                        "a=extmap:" + ABS_SEND_TIME_ID + " " + AbsSendTime.URI, "") : "");
    }
}
