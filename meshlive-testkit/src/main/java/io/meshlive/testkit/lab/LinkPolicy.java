package io.meshlive.testkit.lab;

import java.net.InetAddress;

/**
 * Which {@link LinkSpec} shapes traffic from a given source address, asked for every packet, so a
 * link can put a different distance in front of each peer (a lab's regions: the sender's address
 * says where it is) and can change while traffic flows (a link degrades). Called from the link's
 * threads: an implementation must be thread-safe and cheap.
 */
@FunctionalInterface
public interface LinkPolicy {
    LinkSpec specFor(InetAddress source);

    /** The same spec for every source, for ever. */
    static LinkPolicy fixed(LinkSpec spec) {
        return source -> spec;
    }
}
