package io.meshlive.transcode.video;

import java.util.List;

/**
 * What to make of every stream published in one app.
 *
 * @param encoder    the H.264 encoder of every rendition
 * @param preset     libx264's speed preset (ultrafast, veryfast...); openh264 has none
 * @param renditions the rungs, each published as its own stream
 * @param copyAudio  re-publish the source's audio frames in every rendition; false: video only
 * @param gopFrames  an IDR every this many decoded pictures in every rendition; 0: where the source has a keyframe
 */
public record LadderSpec(VideoEncoderKind encoder, String preset, List<RenditionSpec> renditions, boolean copyAudio,
                         int gopFrames) {
    public LadderSpec {
        renditions = List.copyOf(renditions);
    }
}
