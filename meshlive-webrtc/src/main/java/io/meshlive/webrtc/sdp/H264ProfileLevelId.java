package io.meshlive.webrtc.sdp;

import java.util.regex.Pattern;

/**
 * The H.264 {@code profile-level-id} fmtp parameter (RFC 6184 §8.1): profile_idc, the byte of
 * constraint_set flags ("profile-iop") and level_idc, six hex digits.
 */
record H264ProfileLevelId(int profileIdc, int constraintFlags, int levelIdc) {
    /** RFC 6184 §8.1: a payload type without profile-level-id means Baseline level 1 (42000a). */
    static final H264ProfileLevelId DEFAULT = new H264ProfileLevelId(0x42, 0x00, 0x0a);

    private static final Pattern SIX_HEX_DIGITS = Pattern.compile("\\p{XDigit}{6}");
    private static final int SET0 = 0x80;
    private static final int SET1 = 0x40;
    private static final int SET4 = 0x08;
    private static final int SET5 = 0x04;
    private static final int HIGH = 100;

    /** Parses six hex digits; null if the value is not that. */
    static H264ProfileLevelId parse(String hex) {
        if (hex == null || !SIX_HEX_DIGITS.matcher(hex).matches()) {
            return null;
        }
        int v = Integer.parseInt(hex, 16);
        return new H264ProfileLevelId(v >> 16, (v >> 8) & 0xFF, v & 0xFF);
    }

    /** The profile a codec's fmtp names: its profile-level-id, the RFC's default when absent, null if malformed. */
    static H264ProfileLevelId of(RtpCodec codec) {
        String value = codec.fmtp("profile-level-id");
        return value == null ? DEFAULT : parse(value);
    }

    /**
     * Whether both name the same profile in RFC 6184's sense (§8.1, Table 5): a profile is
     * profile_idc together with the constraint flags that narrow it, so 42e01f (Constrained
     * Baseline) differs from 42001f (Baseline), and 4de01f is Constrained Baseline too.
     */
    boolean sameProfile(H264ProfileLevelId other) {
        return profile().equals(other.profile());
    }

    /** The same profile at another level. */
    H264ProfileLevelId withLevel(int level) {
        return new H264ProfileLevelId(profileIdc, constraintFlags, level);
    }

    boolean isConstrainedBaseline() {
        return profile().equals("constrained-baseline");
    }

    /**
     * A name for the profile. Constrained Baseline is what Baseline, Main and Extended all decode
     * (constraint_set1 on Baseline, set0 on Main, set0+set1 on Extended); Constrained High is High
     * with set4 and set5. Other profiles are their profile_idc with the flags that matter for them.
     */
    private String profile() {
        boolean set0 = (constraintFlags & SET0) != 0;
        boolean set1 = (constraintFlags & SET1) != 0;
        return switch (profileIdc) {
            case 0x42 -> set1 ? "constrained-baseline" : "baseline";
            case 0x4d -> set0 ? "constrained-baseline" : "main";
            case 0x58 -> set0 && set1 ? "constrained-baseline" : set0 ? "baseline" : "extended";
            case HIGH -> (constraintFlags & (SET4 | SET5)) == (SET4 | SET5) ? "constrained-high" : "high";
            default -> profileIdc + "/" + (constraintFlags & 0xF0); // set0-3 only; the low bits are reserved
        };
    }

    /** Six lower-case hex digits, as browsers write them. */
    String toHex() {
        return String.format("%02x%02x%02x", profileIdc, constraintFlags, levelIdc);
    }
}
