package io.meshlive.transcode.video;

/**
 * The picture size of one rendition: the source's shape fitted inside the configured box, in
 * square pixels, both sides even (4:2:0 halves them). A box that would enlarge the source gives
 * no size: upscaling spends bits on detail the source never had.
 */
record RenditionSize(int width, int height) {
    /**
     * The size for a {@code boxWidth} x {@code boxHeight} rung of a source picture, or null when the
     * box is larger than the source. {@code sarNum:sarDen} is the source's sample aspect ratio (0:1
     * or 1:1 for square pixels): an anamorphic source is fitted by the shape it is shown in.
     */
    static RenditionSize fit(int boxWidth, int boxHeight, int sourceWidth, int sourceHeight, int sarNum, int sarDen) {
        double displayWidth = sarNum > 0 && sarDen > 0 ? sourceWidth * (double) sarNum / sarDen : sourceWidth;
        double scale = Math.min(boxWidth / displayWidth, boxHeight / (double) sourceHeight);
        if (scale > 1.0 + 1e-9) {
            return null;
        }
        return new RenditionSize(even(displayWidth * scale), even(sourceHeight * scale));
    }

    private static int even(double side) {
        return Math.max(2, (int) Math.round(side / 2) * 2);
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
