package io.meshlive.rtmp.amf;

import static io.meshlive.testkit.Hex.hex;


/**
 * Message bodies as peers send them, written out by hand from the AMF0 and AMF3 specifications
 * (not produced by the code under test). The fuzz seeds under {@code AmfFuzzTestInputs} are
 * these same bytes.
 */
final class Captures {
    /** ffmpeg (rtmpproto.c gen_connect) publishing to rtmp://127.0.0.1:1935/live. */
    static final byte[] FFMPEG_CONNECT = hex(
            "02 0007 636f6e6e656374",                          // string "connect"
            "00 3ff0000000000000",                             // number 1.0 (transaction id)
            "03",                                              // object
            "0003 617070",                                     //   "app"
            "02 0004 6c697665",                                //     "live"
            "0004 74797065",                                   //   "type"
            "02 000a 6e6f6e70726976617465",                    //     "nonprivate"
            "0008 666c617368566572",                           //   "flashVer"
            "02 0023 464d4c452f332e302028636f6d70617469626c653b204c61766636312e372e31303029",
                                                               //     "FMLE/3.0 (compatible; Lavf61.7.100)"
            "0005 746355726c",                                 //   "tcUrl"
            "02 001a 72746d703a2f2f3132372e302e302e313a313933352f6c697665",
                                                               //     "rtmp://127.0.0.1:1935/live"
            "00 00 09");                                       // object end

    /** The server's answer to publish, as nginx-rtmp words it. */
    static final byte[] ON_STATUS_PUBLISH_START = hex(
            "02 0008 6f6e537461747573",                        // string "onStatus"
            "00 0000000000000000",                             // number 0.0
            "05",                                              // null (no command object)
            "03",                                              // object
            "0005 6c6576656c",                                 //   "level"
            "02 0006 737461747573",                            //     "status"
            "0004 636f6465",                                   //   "code"
            "02 0017 4e657453747265616d2e5075626c6973682e5374617274",
                                                               //     "NetStream.Publish.Start"
            "000b 6465736372697074696f6e",                     //   "description"
            "02 0010 5374617274207075626c697368696e67",        //     "Start publishing"
            "00 00 09");                                       // object end

    /** The data message ffmpeg's FLV muxer sends before the first frame. */
    static final byte[] SET_DATA_FRAME_METADATA = hex(
            "02 000d 40736574446174614672616d65",              // string "@setDataFrame"
            "02 000a 6f6e4d65746144617461",                    // string "onMetaData"
            "08 00000006",                                     // ECMA array, 6 entries
            "0005 7769647468          00 4094000000000000",    //   "width" 1280.0
            "0006 686569676874        00 4086800000000000",    //   "height" 720.0
            "0009 6672616d6572617465  00 403e000000000000",    //   "framerate" 30.0
            "000c 766964656f636f6465636964 00 401c000000000000", // "videocodecid" 7.0 (AVC)
            "000c 617564696f636f6465636964 00 4024000000000000", // "audiocodecid" 10.0 (AAC)
            "0007 656e636f646572      02 000c 4c61766636312e372e313030",
                                                               //   "encoder" "Lavf61.7.100"
            "00 00 09");                                       // object end

    /**
     * A Flash Player connect with objectEncoding 3, as the body of a type 17 message after its
     * leading format byte: AMF0 values, the command object switched to AMF3 with 0x11.
     */
    static final byte[] FLASH_AMF3_CONNECT = hex(
            "02 0007 636f6e6e656374",                          // string "connect"
            "00 3ff0000000000000",                             // number 1.0
            "11",                                              // switch to AMF3
            "0a 0b 01",                                        // object, dynamic, no sealed members, anonymous
            "07 617070           06 09 6c697665",              //   "app" "live"
            "1d 6f626a656374456e636f64696e67 04 03",           //   "objectEncoding" 3
            "01");                                             // end of dynamic members

    /** An AMF3 array of two typed objects sharing traits, then a reference to the first object. */
    static final byte[] AMF3_TYPED_OBJECTS = hex(
            "09 07 01",                                        // array, 3 dense values, no associative part
            "0a 13 05 5074 03 78  04 01",                      //   object, traits: sealed 1, class "Pt", member "x"; x=1
            "0a 01                04 02",                      //   object, traits reference 0; x=2
            "0a 02");                                          //   object reference 1 (the first Pt)

    private Captures() {
    }
}
