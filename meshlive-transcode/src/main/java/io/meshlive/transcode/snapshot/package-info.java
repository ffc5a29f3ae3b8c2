/**
 * Still pictures of a live stream: one keyframe decoded ({@link io.meshlive.transcode.snapshot.KeyframeDecoder}),
 * scaled ({@link io.meshlive.transcode.snapshot.PictureScaler}) and encoded as JPEG
 * ({@link io.meshlive.transcode.snapshot.JpegEncoder}), put together by
 * {@link io.meshlive.transcode.snapshot.SnapshotMaker}. Each call stands alone, so nothing is
 * decoded while nobody asks for a picture.
 */
package io.meshlive.transcode.snapshot;
