package io.meshlive.webrtc.srtp;

import java.util.Arrays;

/**
 * The two master keys of a DTLS-SRTP session: the local one protects what this side sends, the
 * remote one unprotects what it receives.
 */
public record SrtpKeys(SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey, byte[] remoteSalt) {
    public SrtpKeys {
        profile.checkMasterKey("local", localKey, localSalt);
        profile.checkMasterKey("remote", remoteKey, remoteSalt);
    }

    /**
     * RFC 5764 §4.2: material = client_write_key | server_write_key | client_write_salt | server_write_salt,
     * as exported from DTLS with the label "EXTRACTOR-dtls_srtp".
     */
    public static SrtpKeys fromDtlsKeyingMaterial(SrtpProfile profile, byte[] material, boolean localIsDtlsServer) {
        int key = profile.keyLength();
        int salt = profile.saltLength();
        if (material.length != 2 * (key + salt)) {
            throw new IllegalArgumentException("keying material for " + profile + " is " + 2 * (key + salt)
                    + " bytes, got " + material.length);
        }
        byte[] clientKey = Arrays.copyOfRange(material, 0, key);
        byte[] serverKey = Arrays.copyOfRange(material, key, 2 * key);
        byte[] clientSalt = Arrays.copyOfRange(material, 2 * key, 2 * key + salt);
        byte[] serverSalt = Arrays.copyOfRange(material, 2 * key + salt, 2 * key + 2 * salt);
        return localIsDtlsServer
                ? new SrtpKeys(profile, serverKey, serverSalt, clientKey, clientSalt)
                : new SrtpKeys(profile, clientKey, clientSalt, serverKey, serverSalt);
    }

    /** A new context that protects what this side sends. */
    public SrtpContext newSenderContext() {
        return new SrtpContext(profile, localKey, localSalt);
    }

    /** A new context that unprotects what the peer sends. */
    public SrtpContext newReceiverContext() {
        return new SrtpContext(profile, remoteKey, remoteSalt);
    }

    @Override
    public String toString() {
        return "SrtpKeys[" + profile + "]"; // keys stay out of logs
    }

}
