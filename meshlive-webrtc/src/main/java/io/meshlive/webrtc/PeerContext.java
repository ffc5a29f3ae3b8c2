package io.meshlive.webrtc;

import io.meshlive.core.AudioTranscoding;
import io.meshlive.core.Hub;
import io.meshlive.webrtc.dtls.DtlsCertificate;
import io.meshlive.webrtc.dtls.DtlsHandshakes;


/**
 * What a peer needs of the node that made it, and no more: the hub, the settings, the DTLS
 * certificate and handshake threads, the table that routes packets to it, and, for WHEP viewers
 * and WHIP publishers, the rendition ladder, the SCTP cookie secret and audio transcoding.
 *
 * @param sctpCookieSecret signs the state cookies of every WHEP viewer's SCTP association (RFC 9260 §5.1.3)
 * @param quiet            the node's warm-up viewers ({@link WarmUpViewers}): no line in the log for their comings and goings
 */
record PeerContext(Hub hub, WebRtcSettings settings, DtlsCertificate certificate, DtlsHandshakes handshakeExecutor,
                   PeerTable peers, RenditionLadder ladder, byte[] sctpCookieSecret, AudioTranscoding audio, boolean quiet) {
}
