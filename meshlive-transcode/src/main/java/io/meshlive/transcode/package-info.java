/** In-process FFmpeg through org.bytedeco: the only module that touches native media code. */
package io.meshlive.transcode;
