package io.meshlive.cluster.brain;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a client is: a table of address prefixes (CIDR, IPv4 or IPv6) → region, longest prefix
 * first. Built once from configuration; lookups touch no DNS (addresses are literals).
 */
public final class RegionTable {
    private record Prefix(byte[] network, int bits, String region) {
    }

    private final List<Prefix> prefixes = new ArrayList<>();

    /** @param table {@code "10.1.0.0/16" → "eu-west"}; a bad prefix is an error naming it */
    public RegionTable(Map<String, String> table) {
        for (Map.Entry<String, String> e : table.entrySet()) {
            prefixes.add(parse(e.getKey(), e.getValue()));
        }
        prefixes.sort(Comparator.comparingInt((Prefix p) -> -p.bits()));
    }

    /** The region of a literal address, or empty when no prefix holds it (or it is no literal). */
    public Optional<String> regionOf(String address) {
        byte[] a = literal(address);
        if (a == null) {
            return Optional.empty();
        }
        for (Prefix p : prefixes) {
            if (p.network().length == a.length && matches(p.network(), a, p.bits())) {
                return Optional.of(p.region());
            }
        }
        return Optional.empty();
    }

    /** Whether a literal address lies in any of these CIDR prefixes (used for trusted proxies). */
    static boolean inAny(byte[] address, List<byte[]> networks, List<Integer> bits) {
        for (int i = 0; i < networks.size(); i++) {
            if (networks.get(i).length == address.length && matches(networks.get(i), address, bits.get(i))) {
                return true;
            }
        }
        return false;
    }

    private static Prefix parse(String cidr, String region) {
        int slash = cidr.indexOf('/');
        byte[] net = literal(slash < 0 ? cidr : cidr.substring(0, slash));
        if (net == null) {
            throw new IllegalArgumentException("region prefix '" + cidr + "' is not an IP address or CIDR prefix");
        }
        int bits;
        try {
            bits = slash < 0 ? net.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("region prefix '" + cidr + "': the length after '/' is not a number");
        }
        if (bits < 0 || bits > net.length * 8) {
            throw new IllegalArgumentException("region prefix '" + cidr + "': length " + bits + " is outside 0-" + net.length * 8);
        }
        return new Prefix(net, bits, region);
    }

    private static boolean matches(byte[] net, byte[] a, int bits) {
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (net[i] != a[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (net[full] & mask) == (a[full] & mask);
    }

    /** The bytes of an IPv4 or IPv6 literal, or null for anything else (a host name is never resolved). */
    static byte[] literal(String s) {
        if (s == null || s.isEmpty() || s.length() > 64) {
            return null;
        }
        String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        boolean v4 = t.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
        boolean v6 = t.indexOf(':') >= 0 && t.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        if (!v4 && !v6) {
            return null;
        }
        if (v4 && t.split("\\.", -1).length != 4) {
            return null;
        }
        try {
            return InetAddress.getByName(t).getAddress(); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
