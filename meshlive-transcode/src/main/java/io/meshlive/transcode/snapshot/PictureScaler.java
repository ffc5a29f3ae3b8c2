package io.meshlive.transcode.snapshot;

import io.meshlive.transcode.TranscodeException;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;

import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_DEFAULT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

/**
 * Turns a decoded picture of any pixel format (8- or 10-bit, limited or full range) into what a
 * JPEG holds: 8-bit 4:2:0, full range, BT.601 colours, at the asked size (swscale, bicubic).
 * One picture per scaler.
 */
public final class PictureScaler implements AutoCloseable {
    private static final int UNITY = 1 << 16;

    private final AVFrame output = av_frame_alloc();

    /** {@code source} at {@code width}x{@code height}; valid until {@link #close()}. */
    public AVFrame scale(AVFrame source, int width, int height) throws TranscodeException {
        SwsContext sws = sws_getContext(source.width(), source.height(), source.format(),
                width, height, AV_PIX_FMT_YUV420P, SWS_BICUBIC, null, null, (DoublePointer) null);
        if (sws == null) {
            throw new TranscodeException("swscale cannot convert pixel format " + source.format() + " at "
                    + source.width() + "x" + source.height());
        }
        try {
            IntPointer sourceMatrix = sws_getCoefficients(source.colorspace() == AVCOL_SPC_BT709 ? AVCOL_SPC_BT709 : SWS_CS_DEFAULT);
            int sourceFullRange = source.color_range() == AVCOL_RANGE_JPEG ? 1 : 0;
            sws_setColorspaceDetails(sws, sourceMatrix, sourceFullRange, sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, UNITY, UNITY);
            output.width(width).height(height).format(AV_PIX_FMT_YUV420P).color_range(AVCOL_RANGE_JPEG);
            TranscodeException.check(av_frame_get_buffer(output, 0), "allocate scaled picture");
            if (sws_scale(sws, source.data(), source.linesize(), 0, source.height(), output.data(), output.linesize()) <= 0) {
                throw new TranscodeException("swscale produced no picture");
            }
            return output;
        } finally {
            sws_freeContext(sws);
        }
    }

    @Override
    public void close() {
        av_frame_free(output);
    }
}
