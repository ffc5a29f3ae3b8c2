package io.meshlive.hls;

/** The two outputs: classic HLS over MPEG-TS segments, and LL-HLS over CMAF segments and parts. */
public enum Flavour {
    TS, CMAF
}
