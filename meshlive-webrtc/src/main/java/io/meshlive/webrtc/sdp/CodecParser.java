package io.meshlive.webrtc.sdp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Builds an m-line's {@link RtpCodec}s from its rtpmap, fmtp and rtcp-fb lines. */
final class CodecParser {
    /** RFC 3551's static payload types that a peer may list without an rtpmap. */
    private static final Map<Integer, String> STATIC_TYPES = Map.of(
            0, "PCMU/8000", 3, "GSM/8000", 4, "G723/8000", 8, "PCMA/8000", 9, "G722/8000",
            13, "CN/8000", 18, "G729/8000", 26, "JPEG/90000", 31, "H261/90000", 34, "H263/90000");

    private CodecParser() {
    }

    /**
     * The codecs in m-line order. A dynamic payload type without an rtpmap cannot be used and is
     * left out; rtpmap, fmtp and rtcp-fb lines for types not on the m-line are ignored (RFC 8866 §6.6).
     */
    static List<RtpCodec> parse(String kind, List<Integer> payloadTypes, Attributes attributes) throws SdpException {
        Map<Integer, Attribute> rtpmaps = byPayloadType(attributes.named("rtpmap"));
        Map<Integer, Attribute> fmtps = byPayloadType(attributes.named("fmtp"));
        Map<Integer, Set<String>> feedback = feedback(attributes.named("rtcp-fb"));
        Set<String> forAll = feedback.getOrDefault(-1, Set.of());
        List<RtpCodec> codecs = new ArrayList<>();
        for (int pt : new LinkedHashSet<>(payloadTypes)) {
            Attribute rtpmap = rtpmaps.get(pt);
            String encoding = rtpmap != null ? afterPayloadType(rtpmap) : STATIC_TYPES.get(pt);
            if (encoding == null) {
                continue;
            }
            String[] parts = encoding.split("/", -1);
            if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty()) {
                throw rtpmap.error("rtpmap is not '<pt> <encoding>/<clock rate>[/<channels>]'");
            }
            int clockRate = (int) number(rtpmap, parts[1], Integer.MAX_VALUE, "clock rate");
            int channels = parts.length == 3 ? (int) number(rtpmap, parts[2], 255, "channels")
                    : kind.equals("audio") ? 1 : 0;
            Attribute fmtp = fmtps.get(pt);
            Set<String> fb = new LinkedHashSet<>(feedback.getOrDefault(pt, Set.of()));
            fb.addAll(forAll);
            codecs.add(new RtpCodec(pt, parts[0], clockRate, channels,
                    fmtp == null ? Map.of() : parameters(afterPayloadType(fmtp)), List.copyOf(fb)));
        }
        return codecs;
    }

    /** A number from an rtpmap, or from the static table (null rtpmap), which holds only good ones. */
    private static long number(Attribute rtpmap, String token, long max, String what) throws SdpException {
        return rtpmap == null ? Long.parseLong(token) : rtpmap.number(token, max, what);
    }

    /** First line per payload type; a later duplicate is ignored. */
    private static Map<Integer, Attribute> byPayloadType(List<Attribute> attributes) throws SdpException {
        Map<Integer, Attribute> map = new HashMap<>();
        for (Attribute a : attributes) {
            map.putIfAbsent((int) a.number(firstToken(a.value()), 127, "payload type"), a);
        }
        return map;
    }

    /** rtcp-fb values per payload type; key -1 holds those for "*". */
    private static Map<Integer, Set<String>> feedback(List<Attribute> attributes) throws SdpException {
        Map<Integer, Set<String>> map = new HashMap<>();
        for (Attribute a : attributes) {
            String pt = firstToken(a.value());
            String value = String.join(" ", SdpTokens.BLANKS.split(afterPayloadType(a).trim()));
            if (value.isEmpty()) {
                throw a.error("rtcp-fb has no feedback type");
            }
            int key = pt.equals("*") ? -1 : (int) a.number(pt, 127, "payload type");
            map.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(value);
        }
        return map;
    }

    /** "k=v;k2=v2" to an ordered map with lower-case keys; a bare token is a key with value "". */
    private static Map<String, String> parameters(String fmtp) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String param : fmtp.split(";")) {
            String p = param.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String key = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            params.putIfAbsent(key, eq < 0 ? "" : p.substring(eq + 1).trim());
        }
        return params;
    }

    private static String firstToken(String value) {
        int space = value.indexOf(' ');
        return space < 0 ? value : value.substring(0, space);
    }

    private static String afterPayloadType(Attribute a) {
        int space = a.value().indexOf(' ');
        return space < 0 ? "" : a.value().substring(space + 1);
    }
}
