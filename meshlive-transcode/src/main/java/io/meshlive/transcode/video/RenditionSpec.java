package io.meshlive.transcode.video;

/**
 * One rung of a ladder: published as {@code {stream}_{name}}.
 *
 * @param width       the box the picture fits in, keeping the source's shape: its width in pixels (even)
 * @param height      the box's height in pixels (even)
 * @param bitrateKbps target and maximum bit rate; the encoder's buffer holds one frame of it
 */
public record RenditionSpec(String name, int width, int height, int bitrateKbps) {
    public int bitsPerSecond() {
        return bitrateKbps * 1000;
    }
}
