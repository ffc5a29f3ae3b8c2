package io.meshlive.transcode.video;

/**
 * One rung of a ladder: published as {@code {stream}_{name}}.
 *
 * @param width       output width in pixels (even)
 * @param height      output height in pixels (even)
 * @param bitrateKbps target and maximum bit rate; the encoder's buffer holds one frame of it
 */
public record RenditionSpec(String name, int width, int height, int bitrateKbps) {
    public int bitsPerSecond() {
        return bitrateKbps * 1000;
    }
}
