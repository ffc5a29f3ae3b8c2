package io.meshlive.webrtc.sdp;

import io.meshlive.media.Codec;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/** Picks the codec an m-line is answered with, and writes the fmtp and feedback we answer for it. */
final class CodecSelector {
    /** The RTCP feedback meshlive's RTP stack implements; anything else offered is left out of the answer. */
    /** What our RTCP answers or sends (not transport-cc: see {@link Negotiation#EXTENSIONS}). */
    static final Set<String> FEEDBACK = Set.of("nack", "nack pli", "ccm fir", "goog-remb");

    private CodecSelector() {
    }

    /** The codec to answer with, or null if the m-line offers none we can use. */
    static RtpCodec choose(MediaDescription m, Role role, Capabilities caps) {
        StreamVideo video = caps.video();
        return switch (m.kind()) {
            case "audio" -> caps.audio() ? opus(m) : null;
            case "video" -> video == null ? null
                    : video.codec() == Codec.HEVC ? hevc(m, role, video) : h264(m, role, video);
            default -> null;
        };
    }

    /** The offered RTX for {@code codec} (RFC 4588: rtx with apt=its payload type), or null. */
    static RtpCodec rtxFor(MediaDescription m, RtpCodec codec) {
        String pt = Integer.toString(codec.payloadType());
        return m.codecs().stream()
                .filter(c -> c.is("rtx") && pt.equals(c.fmtp("apt")))
                .findFirst().orElse(null);
    }

    private static RtpCodec opus(MediaDescription m) {
        return m.codecs().stream()
                .filter(c -> c.is("opus") && c.clockRate() == 48000 && c.channels() == 2)
                .findFirst()
                .map(c -> answered(c, params("minptime", "10", "useinbandfec", "1")))
                .orElse(null);
    }

    /**
     * SEND: RFC 6184 §8.2.2 answers a payload type with its own profile, so the best is one of the
     * stream's profile, then one of the same profile_idc, then Constrained Baseline, then any: a
     * browser decodes every profile it offers, whatever the stream's is. RECEIVE: the profile we
     * prefer, else the highest offered. Only packetization-mode=1: mode 0 cannot carry a NAL unit
     * larger than a packet.
     */
    private static RtpCodec h264(MediaDescription m, Role role, StreamVideo video) {
        H264ProfileLevelId wanted = new H264ProfileLevelId(video.profileIdc(), video.constraintFlags(), video.levelIdc());
        Comparator<RtpCodec> preference = role == Role.SEND
                ? Comparator.comparingInt(c -> sendRank(H264ProfileLevelId.of(c), wanted))
                : Comparator.<RtpCodec>comparingInt(c -> H264ProfileLevelId.of(c).sameProfile(wanted) ? 0 : 1)
                        .thenComparing(byDescending(c -> H264ProfileLevelId.of(c).profileIdc()))
                        .thenComparing(byDescending(c -> H264ProfileLevelId.of(c).levelIdc()));
        RtpCodec chosen = m.codecs().stream()
                .filter(c -> c.is("H264") && c.clockRate() == 90000 && "1".equals(c.fmtp("packetization-mode"))
                        && H264ProfileLevelId.of(c) != null)
                .min(preference) // the first of the best, as min keeps offer order among equals
                .orElse(null);
        if (chosen == null || role == Role.RECEIVE) {
            return chosen == null ? null : answered(chosen, chosen.fmtp());
        }
        H264ProfileLevelId offered = H264ProfileLevelId.of(chosen);
        // level-asymmetry-allowed lets our level differ from the offer's; without it RFC 6184 has
        // the answer's level no higher than the offer's.
        int level = "1".equals(chosen.fmtp("level-asymmetry-allowed"))
                ? video.levelIdc() : Math.min(video.levelIdc(), offered.levelIdc());
        return answered(chosen, params("level-asymmetry-allowed", "1", "packetization-mode", "1",
                "profile-level-id", offered.withLevel(level).toHex()));
    }

    private static int sendRank(H264ProfileLevelId offered, H264ProfileLevelId stream) {
        if (offered.sameProfile(stream)) {
            return 0;
        }
        if (offered.profileIdc() == stream.profileIdc()) {
            return 1;
        }
        return offered.isConstrainedBaseline() ? 2 : 3;
    }

    /** H.265 (RFC 7798): the stream's profile-id if offered, else the first; SEND answers the stream's level-id. */
    private static RtpCodec hevc(MediaDescription m, Role role, StreamVideo video) {
        String profile = Integer.toString(video.profileIdc());
        List<RtpCodec> offered = m.codecs().stream().filter(c -> c.is("H265") && c.clockRate() == 90000).toList();
        RtpCodec chosen = offered.stream()
                .filter(c -> profile.equals(c.fmtp().getOrDefault("profile-id", "1")))
                .findFirst()
                .orElse(offered.isEmpty() ? null : offered.get(0));
        if (chosen == null) {
            return null;
        }
        Map<String, String> fmtp = new LinkedHashMap<>(chosen.fmtp());
        if (role == Role.SEND) {
            fmtp.put("level-id", Integer.toString(video.levelIdc()));
        }
        return answered(chosen, fmtp);
    }

    private static RtpCodec answered(RtpCodec offered, Map<String, String> fmtp) {
        return new RtpCodec(offered.payloadType(), offered.name(), offered.clockRate(), offered.channels(), fmtp,
                offered.feedback().stream().filter(FEEDBACK::contains).toList());
    }

    private static Comparator<RtpCodec> byDescending(ToIntFunction<RtpCodec> key) {
        return Comparator.comparingInt(key).reversed();
    }

    private static Map<String, String> params(String... keyValues) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            params.put(keyValues[i], keyValues[i + 1]);
        }
        return params;
    }
}
