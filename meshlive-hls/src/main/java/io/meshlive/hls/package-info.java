/**
 * HLS and Low-Latency HLS (issue 4): {@code ts} writes MPEG-TS segments, CMAF init segments and
 * fragments come from {@code io.meshlive.media.fmp4}; {@link io.meshlive.hls.HlsService} is the
 * entry point the server builds: it admits players ({@code HlsSessions}), starts packagers
 * ({@code HlsPackagers}: segmenting into an {@code HlsWindow}) and answers from them ({@code HlsResponder}).
 */
package io.meshlive.hls;
