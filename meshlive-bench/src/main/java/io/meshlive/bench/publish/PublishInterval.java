package io.meshlive.bench.publish;

import io.meshlive.bench.publish.PublisherResult.State;

import java.util.List;
import java.util.Locale;

/** One publish report line: what the publishers sent between two samples, per stream and in total. */
record PublishInterval(double elapsedSeconds, int streams, int publishing, int ended, double videoFps,
                       double audioPerSecond, double mbps, int maxLoops) {

    /** {@code previous} and {@code current} list the same publishers in the same order. */
    static PublishInterval between(List<PublisherResult> previous, List<PublisherResult> current, long elapsedNanos) {
        int publishing = 0;
        int ended = 0;
        int loops = 0;
        double video = 0;
        double audio = 0;
        double bits = 0;
        for (int i = 0; i < current.size(); i++) {
            PublisherResult before = previous.get(i);
            PublisherResult now = current.get(i);
            publishing += now.publishing() ? 1 : 0;
            ended += now.state() == State.ENDED ? 1 : 0;
            loops = Math.max(loops, now.loops());
            double seconds = (now.sampledAtNanos() - before.sampledAtNanos()) / 1e9;
            if (seconds > 0) {
                video += (now.videoFrames() - before.videoFrames()) / seconds;
                audio += (now.audioFrames() - before.audioFrames()) / seconds;
                bits += (now.bytes() - before.bytes()) * 8 / seconds;
            }
        }
        return new PublishInterval(elapsedNanos / 1e9, current.size(), publishing, ended, video, audio, bits / 1e6, loops);
    }

    @Override
    public String toString() {
        int per = Math.max(1, publishing);
        return String.format(Locale.ROOT,
                "%7.1fs  publishing %d/%d  per stream: video %.1f fps, audio %.1f/s, %.0f kbit/s  total %.2f Mbit/s  loops %d  ended %d",
                elapsedSeconds, publishing, streams, videoFps / per, audioPerSecond / per, mbps * 1000 / per, mbps,
                maxLoops, ended);
    }
}
