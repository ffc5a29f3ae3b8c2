package io.meshlive.webrtc.dtls;

/** A DTLS association failed; the message says why in terms an operator can act on. */
public final class DtlsException extends Exception {
    public DtlsException(String message) {
        super(message);
    }

    public DtlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
