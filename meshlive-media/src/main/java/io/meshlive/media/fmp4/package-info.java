/**
 * CMAF / fragmented MP4 (ISO/IEC 14496-12, ISO/IEC 23000-19), for LL-HLS parts and MP4 recordings: {@link
 * io.meshlive.media.fmp4.Fmp4Init} writes the init segment, {@link io.meshlive.media.fmp4.Fmp4Fragment}
 * one {@code moof}+{@code mdat} per part. Both write into a caller's buffer once per stream.
 */
package io.meshlive.media.fmp4;
