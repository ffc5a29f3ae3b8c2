/**
 * HLS and Low-Latency HLS (issue 4): {@code ts} writes MPEG-TS segments, {@code fmp4} writes CMAF
 * init segments and fragments; segmenting, playlists and serving build on them.
 */
package io.meshlive.hls;
