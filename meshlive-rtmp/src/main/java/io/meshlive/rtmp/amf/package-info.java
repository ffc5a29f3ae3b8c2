/**
 * AMF0 and AMF3, the encodings of RTMP commands ({@code connect}, {@code publish},
 * {@code onStatus}...) and data messages ({@code @setDataFrame}/{@code onMetaData}, cues).
 *
 * <p>Values read as plain Java values, the same whichever encoding carried them:
 * <table>
 * <caption>Java mapping</caption>
 * <tr><th>AMF</th><th>Java</th></tr>
 * <tr><td>number, AMF3 integer and double</td><td>{@link java.lang.Double}, so one cast fits every peer</td></tr>
 * <tr><td>boolean</td><td>{@link java.lang.Boolean}</td></tr>
 * <tr><td>string, long string, XML document, AMF3 XML</td><td>{@link java.lang.String}</td></tr>
 * <tr><td>object, typed object, ECMA array, AMF3 object, AMF3 array with an associative part</td>
 *     <td>{@link java.util.LinkedHashMap}{@code <String, Object>} in wire order; class names are dropped</td></tr>
 * <tr><td>strict array, AMF3 array with only a dense part</td><td>{@link java.util.List}{@code <Object>}</td></tr>
 * <tr><td>null</td><td>{@code null}</td></tr>
 * <tr><td>undefined, AMF0 unsupported</td><td>{@link io.meshlive.rtmp.amf.Amf0Reader#UNDEFINED}</td></tr>
 * <tr><td>date</td><td>{@link java.time.Instant}, milliseconds; the time zone field is ignored</td></tr>
 * <tr><td>AMF3 ByteArray</td><td>{@code byte[]}</td></tr>
 * </table>
 *
 * <p>A reference reads as the same instance as the value it points to. Readers hold untrusted
 * input to limits that apply to the result as if every reference were copied in place: at most
 * {@link io.meshlive.rtmp.amf.Amf0Reader#MAX_DEPTH} levels of containers, no cycles, and a size
 * bounded by the input's length. So a result can always be walked, printed or re-encoded, and
 * {@link io.meshlive.rtmp.amf.Amf0Writer} writes anything a reader returned except what AMF0
 * cannot express: {@code byte[]}, and property names over 65535 UTF-8 bytes (AMF3 allows them,
 * and lenient decoding turns each invalid byte into the three bytes of U+FFFD).
 *
 * <p>An RTMP AMF3 command message (type 17) starts with one format byte, 0, followed by AMF0
 * values that may switch to AMF3 with the {@code 0x11} marker: skip that byte and give the rest
 * to {@link io.meshlive.rtmp.amf.Amf0Reader#readAll}.
 */
package io.meshlive.rtmp.amf;
