package io.meshlive.webrtc.sdp;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed SDP (RFC 8866): the session-level lines and one {@link MediaDescription} per m-line.
 * The text is kept line for line, so {@link #toString} gives back what was parsed, with CRLF ends.
 */
public final class SessionDescription {
    /** An offer is a few KB; the limits keep a hostile one from costing more than a parse of that. */
    static final int MAX_LENGTH = 64 * 1024;
    static final int MAX_MEDIA = 32;

    private final List<String> lines;
    private final Attributes attributes;
    private final List<MediaDescription> media;

    private SessionDescription(List<String> lines, Attributes attributes, List<MediaDescription> media) {
        this.lines = lines;
        this.attributes = attributes;
        this.media = media;
    }

    /**
     * Parses an SDP whose lines end with CRLF or LF. Unknown line types and attributes are kept
     * and otherwise ignored, as RFC 8866 §5 asks; the attributes WebRTC relies on (rtpmap, fmtp,
     * rtcp-fb, extmap, ssrc, ssrc-group, fingerprint) must be well formed.
     */
    public static SessionDescription parse(String sdp) throws SdpException {
        if (sdp.length() > MAX_LENGTH) {
            throw new SdpException("SDP of " + sdp.length() + " characters is longer than 64 KB");
        }
        checkCharacters(sdp);
        List<String> sessionLines = new ArrayList<>();
        List<Attribute> sessionAttributes = new ArrayList<>();
        List<MediaSection> sections = new ArrayList<>();
        int lineNumber = 0;
        for (String raw : sdp.split("\n", -1)) {
            lineNumber++;
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.indexOf('\r') >= 0) {
                throw SdpException.atLine(lineNumber, line.replace('\r', ' '), "CR inside a line (lines end with CRLF or LF)");
            }
            if (line.isEmpty()) {
                continue; // a trailing empty line, or a blank one a hand-written client left in
            }
            if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
                throw SdpException.atLine(lineNumber, line, "not '<type>=<value>'");
            }
            if (sessionLines.isEmpty()) {
                if (!line.equals("v=0")) {
                    throw SdpException.atLine(lineNumber, line, "SDP does not start with v=0");
                }
                sessionLines.add(line);
                continue;
            }
            if (line.charAt(0) == 'm') {
                if (sections.size() == MAX_MEDIA) {
                    throw SdpException.atLine(lineNumber, line, "more than " + MAX_MEDIA + " m-lines");
                }
                sections.add(new MediaSection(MediaLine.parse(line, lineNumber), line));
            } else if (sections.isEmpty()) {
                sessionLines.add(line);
                if (line.charAt(0) == 'a') {
                    sessionAttributes.add(Attribute.of(line, lineNumber));
                }
            } else {
                sections.get(sections.size() - 1).add(line, lineNumber);
            }
        }
        if (sessionLines.isEmpty()) {
            throw new SdpException("SDP is empty: no v=0 line");
        }
        Attributes session = Attributes.of(sessionAttributes);
        List<MediaDescription> media = new ArrayList<>();
        for (MediaSection section : sections) {
            media.add(MediaDescription.of(section.mLine, section.lines, section.attributes, session));
        }
        return new SessionDescription(List.copyOf(sessionLines), session, List.copyOf(media));
    }

    /** Parses an SDP body as it came off the wire; it must be UTF-8 (RFC 8866 §5). */
    public static SessionDescription parse(byte[] utf8) throws SdpException {
        if (utf8.length > MAX_LENGTH) {
            throw new SdpException("SDP of " + utf8.length + " bytes is longer than 64 KB");
        }
        try {
            return parse(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString());
        } catch (CharacterCodingException e) {
            throw new SdpException("SDP is not UTF-8 text");
        }
    }

    /**
     * Text decoded from bytes that were not UTF-8 holds U+FFFD; binary junk holds control
     * characters. Either means this is not an SDP, and saying so beats a confusing later error.
     */
    private static void checkCharacters(String sdp) throws SdpException {
        int line = 1;
        for (int i = 0; i < sdp.length(); i++) {
            char c = sdp.charAt(i);
            if (c == '\n') {
                line++;
            } else if (c == '\uFFFD' || Character.isSurrogate(c) && !validPair(sdp, i)) {
                throw new SdpException("line " + line + ": SDP is not UTF-8 text");
            } else if (c < 0x20 && c != '\r' && c != '\t' || c == 0x7F) {
                throw new SdpException(String.format("line %d: control character 0x%02X; SDP is text", line, (int) c));
            }
            if (Character.isHighSurrogate(c) && validPair(sdp, i)) {
                i++;
            }
        }
    }

    private static boolean validPair(String s, int i) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }

    public List<MediaDescription> media() {
        return media;
    }

    /** The first session-level a=name value, "" for a flag, null if absent. */
    public String attribute(String name) {
        return attributes.first(name);
    }

    public List<String> attributes(String name) {
        return attributes.values(name);
    }

    /** The SDP text, every line ending with CRLF. */
    @Override
    public String toString() {
        StringBuilder sdp = new StringBuilder();
        lines.forEach(line -> sdp.append(line).append("\r\n"));
        for (MediaDescription m : media) {
            m.lines().forEach(line -> sdp.append(line).append("\r\n"));
        }
        return sdp.toString();
    }

    /** The lines of one m-line while they are read. */
    private static final class MediaSection {
        final MediaLine mLine;
        final List<String> lines = new ArrayList<>();
        final List<Attribute> attributes = new ArrayList<>();

        MediaSection(MediaLine mLine, String line) {
            this.mLine = mLine;
            lines.add(line);
        }

        void add(String line, int lineNumber) {
            lines.add(line);
            if (line.charAt(0) == 'a') {
                attributes.add(Attribute.of(line, lineNumber));
            }
        }
    }
}
