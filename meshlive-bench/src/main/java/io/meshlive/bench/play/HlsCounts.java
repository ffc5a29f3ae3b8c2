package io.meshlive.bench.play;

/**
 * What an LL-HLS player did besides receiving bytes (its parts are its video frames).
 *
 * @param reloads    playlists received (the first load and every blocking reload)
 * @param stalls     503 answers: a blocking reload or preload hint not satisfied within the server's timeout
 * @param httpErrors any other answer than 200, but for the next two
 * @param hintsNotProduced preload-hinted parts answered 404: the segment ended before them
 * @param missingHints     playlists without a part preload hint (the reload then asks for the part after the last)
 * @param partWaits  from requesting a preload-hinted part to having all of it
 */
public record HlsCounts(long reloads, long stalls, long httpErrors, long hintsNotProduced, long missingHints,
                        WaitHistogram partWaits) {
}
