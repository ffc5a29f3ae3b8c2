package io.meshlive.webrtc.sdp;

import java.util.ArrayList;
import java.util.List;

/** The {@code a=} lines of one level (session or one m-line), in order. */
final class Attributes {
    private final List<Attribute> all;
    private final List<Fingerprint> fingerprints;

    private Attributes(List<Attribute> all, List<Fingerprint> fingerprints) {
        this.all = all;
        this.fingerprints = fingerprints;
    }

    /** Also reads the fingerprints, so a malformed one is reported with its line at parse time. */
    static Attributes of(List<Attribute> attributes) throws SdpException {
        List<Fingerprint> fingerprints = new ArrayList<>();
        for (Attribute a : attributes) {
            if (a.name().equals("fingerprint")) {
                try {
                    fingerprints.add(Fingerprint.parse(a.value()));
                } catch (SdpException e) {
                    throw a.error(e.getMessage());
                }
            }
        }
        return new Attributes(List.copyOf(attributes), List.copyOf(fingerprints));
    }

    /** The first value of the named attribute, "" for a flag, null if absent. */
    String first(String name) {
        for (Attribute a : all) {
            if (a.name().equals(name)) {
                return a.value();
            }
        }
        return null;
    }

    List<String> values(String name) {
        List<String> values = new ArrayList<>();
        for (Attribute a : all) {
            if (a.name().equals(name)) {
                values.add(a.value());
            }
        }
        return values;
    }

    /** Every attribute named so, for parsing with line numbers at hand. */
    List<Attribute> named(String name) {
        return all.stream().filter(a -> a.name().equals(name)).toList();
    }

    /** The first direction attribute, or null if there is none. */
    Direction direction() {
        for (Attribute a : all) {
            Direction d = Direction.ofAttribute(a.name());
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    /** The SHA-256 fingerprint if there is one (all WebRTC peers support it), else the first, else null. */
    Fingerprint fingerprint() {
        return fingerprints.stream().filter(f -> f.algorithm().equals("sha-256")).findFirst()
                .orElse(fingerprints.isEmpty() ? null : fingerprints.get(0));
    }
}
