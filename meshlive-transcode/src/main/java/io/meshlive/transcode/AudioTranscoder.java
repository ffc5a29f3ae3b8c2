package io.meshlive.transcode;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import java.util.Arrays;
import java.util.function.Consumer;


/**
 * Decodes one audio codec and re-encodes to another, frame in → frames out. Not thread-safe: one
 * caller thread at a time.
 *
 * <p>Output is 48 kHz with the input's channel count, capped at two (mono stays mono, 5.1 is
 * down-mixed to stereo). The first frame out is a config frame, repeated whenever the encoder
 * has to be re-opened for a new channel count; media frames follow on the input's timeline
 * ({@link Timeline}).
 */
public final class AudioTranscoder implements AutoCloseable {
    private static final int MAX_CHANNELS = 2;
    private static final long MICROS = 1_000_000;

    private final ByteBufAllocator alloc;
    private final AudioSource input;
    private final OutputFormat output;
    private byte[] inputConfig;
    private AudioDecoder decoder;
    private AudioEncoder encoder;
    private SampleQueue queue;
    private Timeline timeline;
    private boolean configSent;
    /** The dts of the next frame the decoder hands over. */
    private long decodedDts;
    private long dropped;
    private boolean closed;

    private AudioTranscoder(ByteBufAllocator alloc, AudioSource input, OutputFormat output) {
        this.alloc = alloc;
        this.input = input;
        this.output = output;
    }

    /** Whether {@link #toOpus} and {@link #toAac} take this codec (AAC, Opus, MP3, G.711). */
    public static boolean canDecode(Codec codec) {
        return AudioSource.of(codec) != null;
    }

    /** {@code codec} in; Opus out: 48 kHz, 20 ms frames, 64 kbit/s, restricted low delay. */
    public static AudioTranscoder toOpus(Codec codec, ByteBufAllocator alloc) {
        return new AudioTranscoder(alloc, source(codec), OutputFormat.OPUS);
    }

    /** {@code codec} in; AAC-LC out: 48 kHz, 1024-sample frames, 128 kbit/s. */
    public static AudioTranscoder toAac(Codec codec, ByteBufAllocator alloc) {
        return new AudioTranscoder(alloc, source(codec), OutputFormat.AAC);
    }

    private static AudioSource source(Codec codec) {
        AudioSource s = AudioSource.of(codec);
        if (s == null) {
            throw new IllegalArgumentException("cannot decode " + codec + " audio (AAC, Opus, MP3 and G.711 only)");
        }
        return s;
    }

    /**
     * Feeds one hub frame: a config frame (AudioSpecificConfig for AAC, OpusHead for Opus — may be
     * absent for Opus: then 48 kHz stereo) or a media frame (a raw AAC access unit / one Opus
     * packet, dts in microseconds). {@code in} stays the caller's. Calls {@code out} for each frame
     * produced, in order, passing ownership.
     *
     * <p>The first output is a config frame (OpusHead per RFC 7845 5.1, AudioSpecificConfig for
     * AAC), then media frames whose dts continue the input's timeline: the first output dts is
     * the first input dts, then each frame adds its duration; a jump in the input (backwards, or a
     * gap) moves the output with it. A corrupt input frame is skipped and counted in
     * {@link #droppedFrames()}; a changed config re-opens the decoder.
     *
     * @throws TranscodeException when FFmpeg cannot open a codec, or a config frame is unusable
     * @throws IllegalArgumentException for a frame of another codec
     * @throws IllegalStateException after {@link #close()}
     */
    public void push(Frame in, Consumer<Frame> out) throws TranscodeException {
        if (closed) {
            throw new IllegalStateException("transcoder closed");
        }
        if (in.codec() != input.codec) {
            throw new IllegalArgumentException("expected " + input + ", got " + in);
        }
        if (in.isConfig()) {
            configure(ByteBufUtil.getBytes(in.payload()), in.payload());
            return;
        }
        if (decoder == null && !input.needsConfig) {
            decoder = AudioDecoder.open(input.codecId, null, input.defaultRate, input.defaultChannels);
        }
        if (decoder == null) {
            dropped++; // AAC cannot be decoded before its AudioSpecificConfig
            return;
        }
        decodedDts = in.dts();
        if (!decoder.decode(in.payload(), frame -> queueDecoded(frame, out))) {
            dropped++;
        }
    }

    /** Input frames skipped: corrupt, or AAC before its config. */
    public long droppedFrames() {
        return dropped;
    }

    private void configure(byte[] config, ByteBuf payload) throws TranscodeException {
        if (Arrays.equals(config, inputConfig)) {
            return; // repeated by the hub for every new subscriber; nothing changed
        }
        closeDecoder();
        inputConfig = null;
        decoder = AudioDecoder.open(input.codecId, payload, input.defaultRate, input.defaultChannels);
        inputConfig = config;
    }

    private void queueDecoded(AVFrame frame, Consumer<Frame> out) throws TranscodeException {
        // A packet that decodes to several frames: each starts where the one before ended.
        long dts = decodedDts;
        decodedDts += frame.nb_samples() * MICROS / frame.sample_rate();
        int channels = Math.min(frame.ch_layout().nb_channels(), MAX_CHANNELS);
        if (encoder == null || encoder.channels() != channels) {
            openEncoder(channels);
        }
        timeline.place(queue.nextPosition(), dts);
        queue.write(frame);
        encoder.encode(queue, packet -> emit(packet, out));
    }

    /**
     * A new encoder starts a new output: a config frame first, positions from zero. What the old
     * one still held (under a frame and its look-ahead) is dropped with it.
     */
    private void openEncoder(int channels) throws TranscodeException {
        closeEncoder();
        encoder = AudioEncoder.open(output, channels);
        queue = encoder.newQueue();
        timeline = new Timeline(encoder.sampleRate());
        configSent = false;
    }

    private void emit(AVPacket packet, Consumer<Frame> out) {
        long dts = timeline.dtsAt(packet.pts() + encoder.initialPadding());
        if (!configSent) {
            out.accept(Frame.config(output.codec(), dts, encoder.config(alloc), System.nanoTime()));
            configSent = true;
        }
        int length = packet.size();
        ByteBuf payload = alloc.buffer(length);
        payload.writeBytes(packet.data().capacity(length).asByteBuffer());
        out.accept(Frame.media(output.codec(), dts, dts, true, payload, System.nanoTime()));
    }

    /** Frees every native object; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeDecoder();
        closeEncoder();
    }

    private void closeDecoder() {
        if (decoder != null) {
            decoder.close();
            decoder = null;
        }
    }

    private void closeEncoder() {
        if (encoder != null) {
            encoder.close();
            encoder = null;
        }
        if (queue != null) {
            queue.close();
            queue = null;
        }
    }
}
