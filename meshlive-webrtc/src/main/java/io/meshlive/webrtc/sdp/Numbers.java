package io.meshlive.webrtc.sdp;

/** Decimal numbers as SDP writes them: ASCII digits only, no sign, no spaces. */
final class Numbers {
    private Numbers() {
    }

    /** The value of {@code s}, or -1 if it is not decimal digits or exceeds {@code max}. */
    static long parse(String s, long max) {
        if (s.isEmpty() || s.length() > 19) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
            if (n > max) {
                return -1;
            }
        }
        return n;
    }
}
