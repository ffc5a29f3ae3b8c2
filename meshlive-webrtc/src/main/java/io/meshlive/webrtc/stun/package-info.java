/**
 * STUN for ICE-lite (RFC 8489, RFC 8445, RFC 7675 consent): decoding Binding messages, checking
 * MESSAGE-INTEGRITY with short-term credentials and FINGERPRINT, and writing Binding responses
 * (and, for tests and the bench, Binding requests).
 */
package io.meshlive.webrtc.stun;
