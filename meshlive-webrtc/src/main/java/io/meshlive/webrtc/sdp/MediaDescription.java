package io.meshlive.webrtc.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One m-line and its lines. Transport attributes (ICE credentials, fingerprint, setup) and the
 * direction are read from the m-line's section first and from the session level second, as RFC
 * 8866 lets a writer put them at either; {@link #attribute} and {@link #attributes} read only the
 * m-line's own lines.
 */
public final class MediaDescription {
    private final String kind;
    private final int port;
    private final String protocol;
    private final List<String> formats;
    private final List<String> lines;
    private final Attributes attributes;
    private final Attributes session;
    private final List<RtpCodec> codecs;
    private final Map<Integer, String> extmaps;
    private final List<Long> ssrcs;
    private final Map<String, List<long[]>> ssrcGroups;

    private MediaDescription(MediaLine mLine, List<String> lines, Attributes attributes, Attributes session,
                             List<RtpCodec> codecs, Map<Integer, String> extmaps, List<Long> ssrcs,
                             Map<String, List<long[]>> ssrcGroups) {
        this.kind = mLine.kind();
        this.port = mLine.port();
        this.protocol = mLine.protocol();
        this.formats = mLine.formats();
        this.lines = lines;
        this.attributes = attributes;
        this.session = session;
        this.codecs = codecs;
        this.extmaps = extmaps;
        this.ssrcs = ssrcs;
        this.ssrcGroups = ssrcGroups;
    }

    /** Reads the attributes WebRTC relies on, so malformed ones fail the parse with their line. */
    static MediaDescription of(MediaLine mLine, List<String> lines, List<Attribute> own, Attributes session)
            throws SdpException {
        Attributes attributes = Attributes.of(own);
        List<RtpCodec> codecs = mLine.isRtp()
                ? CodecParser.parse(mLine.kind(), mLine.formats().stream().map(Integer::parseInt).toList(), attributes)
                : List.of();
        return new MediaDescription(mLine, List.copyOf(lines), attributes, session, codecs, extmaps(attributes),
                ssrcs(attributes), ssrcGroups(attributes));
    }

    /** "audio", "video", "application" (or whatever other media the line names). */
    public String kind() {
        return kind;
    }

    /** 0 for an m-line that is rejected (or bundle-only, see {@link #bundleOnly}). */
    public int port() {
        return port;
    }

    public String protocol() {
        return protocol;
    }

    public List<String> formats() {
        return formats;
    }

    public String mid() {
        return attributes.first("mid");
    }

    public Direction direction() {
        Direction own = attributes.direction();
        if (own != null) {
            return own;
        }
        Direction sessionWide = session.direction();
        return sessionWide != null ? sessionWide : Direction.SENDRECV;
    }

    /** RFC 8843 §6: port 0 with a=bundle-only means "in the BUNDLE group", not "rejected". */
    public boolean bundleOnly() {
        return attributes.first("bundle-only") != null;
    }

    public String iceUfrag() {
        return mediaThenSession("ice-ufrag");
    }

    public String icePwd() {
        return mediaThenSession("ice-pwd");
    }

    /** The SHA-256 fingerprint if one is given, else the first; media level, else session level. */
    public Fingerprint fingerprint() {
        Fingerprint own = attributes.fingerprint();
        return own != null ? own : session.fingerprint();
    }

    /** "actpass", "active", "passive" (or null if absent); media level, else session level. */
    public String setup() {
        return mediaThenSession("setup");
    }

    public boolean rtcpMux() {
        return attributes.first("rtcp-mux") != null;
    }

    /** The m-line's payload types that have an rtpmap (or a static assignment), in m-line order. */
    public List<RtpCodec> codecs() {
        return codecs;
    }

    /** Header extension id to URI (RFC 8285), in line order. */
    public Map<Integer, String> extmaps() {
        return extmaps;
    }

    /** The distinct a=ssrc ids, in line order. */
    public List<Long> ssrcs() {
        return ssrcs;
    }

    /** The a=ssrc-group lines of these semantics ("FID", "FEC-FR", "SIM"), each its SSRCs in order. */
    public List<long[]> ssrcGroups(String semantics) {
        return ssrcGroups.getOrDefault(semantics, List.of()).stream().map(long[]::clone).toList();
    }

    /** The first m-line-level a=name value, "" for a flag, null if absent. */
    public String attribute(String name) {
        return attributes.first(name);
    }

    public List<String> attributes(String name) {
        return attributes.values(name);
    }

    /** The m-line and its lines, as parsed, without line ends. */
    List<String> lines() {
        return lines;
    }

    private String mediaThenSession(String name) {
        String own = attributes.first(name);
        return own != null ? own : session.first(name);
    }

    /** a=extmap:id[/direction] uri [attributes]; ids 1-14 and 16-255 (RFC 8285 §5). */
    private static Map<Integer, String> extmaps(Attributes attributes) throws SdpException {
        Map<Integer, String> extmaps = new LinkedHashMap<>();
        for (Attribute a : attributes.named("extmap")) {
            String[] parts = SdpTokens.BLANKS.split(a.value().trim());
            if (parts.length < 2) {
                throw a.error("extmap is not '<id> <uri>'");
            }
            int slash = parts[0].indexOf('/');
            int id = (int) a.number(slash < 0 ? parts[0] : parts[0].substring(0, slash), 255, "extension id");
            if (id == 0 || id == 15) {
                throw a.error("extension id " + id + " is reserved");
            }
            extmaps.putIfAbsent(id, parts[1]);
        }
        return Collections.unmodifiableMap(extmaps);
    }

    /** a=ssrc:id attribute[:value] (RFC 5576 §4.1). */
    private static List<Long> ssrcs(Attributes attributes) throws SdpException {
        Set<Long> ssrcs = new LinkedHashSet<>();
        for (Attribute a : attributes.named("ssrc")) {
            String id = SdpTokens.BLANK.split(a.value(), 2)[0];
            ssrcs.add(a.number(id, 0xFFFFFFFFL, "SSRC"));
        }
        return List.copyOf(ssrcs);
    }

    /** a=ssrc-group:semantics ssrc ssrc... (RFC 5576 §4.2). */
    private static Map<String, List<long[]>> ssrcGroups(Attributes attributes) throws SdpException {
        Map<String, List<long[]>> groups = new LinkedHashMap<>();
        for (Attribute a : attributes.named("ssrc-group")) {
            String[] parts = SdpTokens.BLANKS.split(a.value().trim());
            if (parts.length < 2 || parts[0].isEmpty()) {
                throw a.error("ssrc-group is not '<semantics> <ssrc>...'");
            }
            long[] group = new long[parts.length - 1];
            for (int i = 1; i < parts.length; i++) {
                group[i - 1] = a.number(parts[i], 0xFFFFFFFFL, "SSRC");
            }
            groups.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(group);
        }
        return groups;
    }
}
