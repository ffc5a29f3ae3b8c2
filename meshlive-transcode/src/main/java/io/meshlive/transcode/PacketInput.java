package io.meshlive.transcode;

import io.netty.buffer.ByteBuf;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import java.nio.ByteBuffer;

import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

/**
 * A decoder's input packet over a native copy of a hub payload. The packet and the copy are
 * allocated once and reused, the copy growing to the largest payload seen, so feeding a decoder
 * allocates nothing per frame.
 */
public final class PacketInput implements AutoCloseable {
    private final AVPacket packet = av_packet_alloc();
    private BytePointer data;
    private ByteBuffer dataView;

    public PacketInput(int initialCapacity) {
        allocateData(initialCapacity);
    }

    /**
     * Copies {@code payload}'s readable bytes and points the packet at them; valid until the next
     * call. The packet is not reference-counted, so avcodec copies it and the buffer is ours again
     * once avcodec_send_packet returns.
     */
    public AVPacket load(ByteBuf payload) {
        int length = payload.readableBytes();
        if (length + AV_INPUT_BUFFER_PADDING_SIZE > data.capacity()) {
            av_free(data);
            allocateData(Integer.highestOneBit(length + AV_INPUT_BUFFER_PADDING_SIZE) << 1);
        }
        payload.getBytes(payload.readerIndex(), dataView.clear().limit(length));
        // Decoders may read past the end in whole words: the padding must be zeros.
        dataView.limit(length + AV_INPUT_BUFFER_PADDING_SIZE);
        while (dataView.hasRemaining()) {
            dataView.put((byte) 0);
        }
        return packet.data(data).size(length);
    }

    private void allocateData(int capacity) {
        Pointer memory = av_malloc(capacity);
        if (memory == null || memory.isNull()) {
            throw new OutOfMemoryError("av_malloc(" + capacity + ")");
        }
        data = new BytePointer(memory).capacity(capacity);
        dataView = data.asByteBuffer();
    }

    @Override
    public void close() {
        // The packet borrows our buffer; detach it so freeing the packet leaves the buffer to us.
        packet.data(null).size(0);
        av_packet_free(packet);
        av_free(data);
    }
}
