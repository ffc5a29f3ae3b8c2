package io.meshlive.transcode.snapshot;

/** A JPEG picture and its size in pixels. */
public record Snapshot(byte[] jpeg, int width, int height) {
}
