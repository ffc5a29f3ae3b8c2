package io.meshlive.transcode.video;

import io.meshlive.transcode.TranscodeException;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

/**
 * Scales decoded pictures to one rendition's size in YUV 4:2:0, into one output frame it reuses.
 * The swscale context follows the source's size and format if they change mid-stream.
 */
final class Scaler implements AutoCloseable {
    private final int width;
    private final int height;
    private final AVFrame out = av_frame_alloc();
    private SwsContext context;

    Scaler(int width, int height) throws TranscodeException {
        this.width = width;
        this.height = height;
        out.format(AV_PIX_FMT_YUV420P).width(width).height(height);
        TranscodeException.check(av_frame_get_buffer(out, 0), "av_frame_get_buffer");
    }

    /** Whether {@code picture} can go to the encoder as it is. */
    boolean passThrough(AVFrame picture) {
        return picture.width() == width && picture.height() == height && picture.format() == AV_PIX_FMT_YUV420P;
    }

    /** {@code picture} at this scaler's size; the frame is ours and valid until the next call. */
    AVFrame scale(AVFrame picture) throws TranscodeException {
        context = sws_getCachedContext(context, picture.width(), picture.height(), picture.format(),
                width, height, AV_PIX_FMT_YUV420P, SWS_BILINEAR, null, null, (DoublePointer) null);
        if (context == null) {
            throw new TranscodeException("swscale cannot convert " + picture.width() + "x" + picture.height()
                    + " format " + picture.format() + " to " + width + "x" + height);
        }
        // The encoder may still hold the last output (a reference); it then gets a fresh buffer.
        TranscodeException.check(av_frame_make_writable(out), "av_frame_make_writable");
        sws_scale(context, picture.data(), picture.linesize(), 0, picture.height(), out.data(), out.linesize());
        out.pts(picture.pts());
        return out;
    }

    @Override
    public void close() {
        sws_freeContext(context);
        av_frame_free(out);
    }
}
