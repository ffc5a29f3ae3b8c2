package io.meshlive.webrtc.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One payload type of an m-line, from its {@code a=rtpmap}, {@code a=fmtp} and {@code a=rtcp-fb}
 * lines (those for {@code *} included).
 *
 * @param name      encoding name as written ("H264", "opus", "rtx"); compare with {@link #is}
 * @param channels  audio channels, 1 when the rtpmap names none; 0 for video
 * @param fmtp      format parameters in their order, keys in lower case; a parameter that is not
 *                  {@code key=value} (telephone-event's "0-15", red's "111/111") is a key with value ""
 * @param feedback  rtcp-fb values, such as "nack", "nack pli", "transport-cc"
 */
public record RtpCodec(int payloadType, String name, int clockRate, int channels, Map<String, String> fmtp,
                       List<String> feedback) {
    public RtpCodec {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType);
        }
        fmtp = Collections.unmodifiableMap(new LinkedHashMap<>(fmtp));
        feedback = List.copyOf(feedback);
    }

    /** Whether this is the named encoding (names are case-insensitive, RFC 4855 §3). */
    public boolean is(String encodingName) {
        return name.equalsIgnoreCase(encodingName);
    }

    /** The format parameter's value, or null if absent. */
    public String fmtp(String key) {
        return fmtp.get(key);
    }

    /** The part of {@code a=fmtp} after the payload type, "" when there are no parameters. */
    public String fmtpLine() {
        StringJoiner line = new StringJoiner(";");
        fmtp.forEach((key, value) -> line.add(value.isEmpty() ? key : key + "=" + value));
        return line.toString();
    }

    /** The part of {@code a=rtpmap} after the payload type: "H264/90000", "opus/48000/2". */
    public String rtpmapValue() {
        return name + "/" + clockRate + (channels > 1 ? "/" + channels : "");
    }
}
