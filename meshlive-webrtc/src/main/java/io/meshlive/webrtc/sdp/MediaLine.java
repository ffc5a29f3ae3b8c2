package io.meshlive.webrtc.sdp;

import io.meshlive.core.ClientText;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The fields of an {@code m=} line (RFC 8866 §5.14). */
record MediaLine(String kind, int port, String protocol, List<String> formats) {
    private static final Pattern WORD = Pattern.compile("[A-Za-z]+");

    /** Parses {@code m=<media> <port>[/<number of ports>] <proto> <fmt> ...}. */
    static MediaLine parse(String line, int lineNumber) throws SdpException {
        String[] parts = SdpTokens.BLANKS.split(line.substring(2).trim());
        if (parts.length < 4) {
            throw SdpException.atLine(lineNumber, line, "m-line is not '<media> <port> <proto> <fmt> ...'");
        }
        if (!WORD.matcher(parts[0]).matches()) {
            throw SdpException.atLine(lineNumber, line, "media " + ClientText.quote(parts[0]) + " is not a word");
        }
        String portField = parts[1];
        int slash = portField.indexOf('/');
        long port = Numbers.parse(slash < 0 ? portField : portField.substring(0, slash), 65535);
        if (port < 0 || slash >= 0 && Numbers.parse(portField.substring(slash + 1), 65535) < 0) {
            throw SdpException.atLine(lineNumber, line, "port " + ClientText.quote(portField) + " is not a port number");
        }
        List<String> formats = List.of(parts).subList(3, parts.length);
        boolean rtp = carriesRtp(parts[2]);
        for (String format : formats) {
            if (rtp && Numbers.parse(format, 127) < 0) {
                throw SdpException.atLine(lineNumber, line, "RTP payload type " + ClientText.quote(format) + " is not 0-127");
            }
        }
        return new MediaLine(parts[0].toLowerCase(Locale.ROOT), (int) port, parts[2], List.copyOf(formats));
    }

    boolean isRtp() {
        return carriesRtp(protocol);
    }

    /** RTP/AVP, RTP/SAVPF, UDP/TLS/RTP/SAVPF...: formats are payload types. */
    private static boolean carriesRtp(String protocol) {
        return protocol.toUpperCase(Locale.ROOT).contains("RTP/");
    }
}
