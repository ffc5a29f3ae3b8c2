package io.meshlive.bench.publish;

/** The bench's own SPS, for tests in other packages. */
public final class TestSps {
    private TestSps() {
    }

    public static byte[] sps640x360() {
        return AvcConfig.sps(new VideoSize(640, 360), 30);
    }
}
