package io.meshlive.bench.publish;

import io.meshlive.bench.wire.FlvMedia;
import io.meshlive.media.flv.FlvReader;
import io.meshlive.media.flv.FlvTag;

/**
 * The tags of an FLV file, optionally over and over with timestamps carrying on. Later passes
 * send only frames and cues: the server already has the metadata and codec configuration, and
 * sending them again would look like a new stream.
 */
final class FlvFileSource implements MediaSource {
    private final FlvFile file;
    private final boolean loop;
    private FlvReader reader;
    private int loops;

    FlvFileSource(FlvFile file, boolean loop) {
        this.file = file;
        this.loop = loop;
        this.reader = file.reader();
    }

    @Override
    public MediaTag next() {
        while (true) {
            FlvTag tag = reader.next();
            if (tag == null) {
                if (!loop) {
                    return null;
                }
                loops++;
                reader = file.reader();
                continue;
            }
            MediaTag media = new MediaTag(tag.type(), tag.timestampMillis() + loops * file.loopMillis(), tag.content());
            if (loops == 0 || repeats(media)) {
                return media;
            }
            tag.release();
        }
    }

    private static boolean repeats(MediaTag tag) {
        return switch (tag.type()) {
            case MediaTag.VIDEO -> FlvMedia.isVideoFrame(tag.first(), tag.second());
            case MediaTag.AUDIO -> FlvMedia.isAudioFrame(tag.first(), tag.second());
            default -> !ScriptData.isOnMetaData(tag.body());
        };
    }

    @Override
    public int loops() {
        return loops;
    }
}
