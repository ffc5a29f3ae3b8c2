package io.meshlive.media;

/** Well-formed input in a codec or packet type this server does not carry. */
public class UnsupportedCodecException extends MediaFormatException {
    private static final long serialVersionUID = 1L;

    public UnsupportedCodecException(String message) {
        super(message);
    }
}
