package io.meshlive.cluster.probe;

import com.code_intelligence.jazzer.junit.FuzzTest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Arbitrary datagrams into the probe decoder, as they come (a stranger's) and signed with the
 * right key (so the fuzzer reaches what follows the HMAC check): the only acceptable failure is a
 * BadProbeException. Jazzer runs the seeds in the normal build; set JAZZER_FUZZ=1 to fuzz.
 */
class ProbeFuzzTest {
    private static final byte[] KEY = "fuzz-secret".getBytes(StandardCharsets.UTF_8);
    private static final Mac HMAC = ProbePacket.hmac(KEY);
    /** The signer of the signed variant, made once: a JCE provider look-up per input was most of a run. */
    private static final Mac SIGNER = signer();

    @FuzzTest(maxDuration = "30s")
    void datagrams(byte[] data) {
        decode(data);
        byte[] signed = Arrays.copyOf(data, data.length + ProbePacket.MAC_BYTES);
        System.arraycopy(SIGNER.doFinal(data), 0, signed, data.length, ProbePacket.MAC_BYTES);
        decode(signed);
    }

    private static Mac signer() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            return mac;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void decode(byte[] datagram) {
        try {
            ProbePacket p = ProbePacket.decode(HMAC, datagram, datagram.length);
            p.encode(HMAC); // what parsed can be sent back
        } catch (ProbePacket.BadProbeException expected) {
            // bad input, reported as such
        }
    }
}
