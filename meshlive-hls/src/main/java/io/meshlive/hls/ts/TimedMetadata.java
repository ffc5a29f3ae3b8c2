package io.meshlive.hls.ts;

/**
 * The PMT descriptors of Apple's "Timed Metadata for HTTP Live Streaming" (section 2, after
 * ISO/IEC 13818-1 2.6.58 and 2.6.60): a metadata_pointer_descriptor in the program_info, and a
 * metadata_descriptor on the ID3 stream (stream_type 0x15, metadata in PES). Both name the
 * registered format 'ID3 ' as application format and format, service 0, no decoder config.
 */
final class TimedMetadata {
    /** stream_type 0x15: metadata carried in PES packets. */
    static final int STREAM_TYPE_METADATA_PES = 0x15;
    private static final int METADATA_POINTER_DESCRIPTOR = 0x25;
    private static final int METADATA_DESCRIPTOR = 0x26;
    private static final byte[] ID3_FORMAT = {0x49, 0x44, 0x33, 0x20};

    private TimedMetadata() {
    }

    /** metadata_pointer_descriptor pointing at this program's own metadata stream. */
    static byte[] pointerDescriptor(int programNumber) {
        return new byte[] {
                METADATA_POINTER_DESCRIPTOR, 15,
                (byte) 0xFF, (byte) 0xFF, ID3_FORMAT[0], ID3_FORMAT[1], ID3_FORMAT[2], ID3_FORMAT[3], // application format
                (byte) 0xFF, ID3_FORMAT[0], ID3_FORMAT[1], ID3_FORMAT[2], ID3_FORMAT[3], // format
                0, // metadata_service_id
                0x1F, // metadata_locator_record_flag 0, MPEG_carriage_flags 0 (same transport stream), reserved
                (byte) (programNumber >> 8), (byte) programNumber,
        };
    }

    /** metadata_descriptor for the ID3 elementary stream. */
    static byte[] descriptor() {
        return new byte[] {
                METADATA_DESCRIPTOR, 13,
                (byte) 0xFF, (byte) 0xFF, ID3_FORMAT[0], ID3_FORMAT[1], ID3_FORMAT[2], ID3_FORMAT[3],
                (byte) 0xFF, ID3_FORMAT[0], ID3_FORMAT[1], ID3_FORMAT[2], ID3_FORMAT[3],
                0, // metadata_service_id
                0x0F, // decoder_config_flags 000, DSM-CC_flag 0, reserved
        };
    }
}
