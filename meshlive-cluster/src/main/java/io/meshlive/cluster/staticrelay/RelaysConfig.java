package io.meshlive.cluster.staticrelay;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code relays} block of the configuration: static pulls (another server's stream becomes a
 * local stream) and pushes (a local stream is restreamed to another server), started with the
 * node. Jackson binds it from YAML; {@link #validate} returns the first problem naming its key.
 */
public final class RelaysConfig {
    /** {@code {url, app, stream}}: pull url (rtmp[s]:// or http[s]:// HTTP-FLV) into app/stream. */
    public List<Pull> pulls = new ArrayList<>();
    /** {@code {app, stream, url}}: push app/stream to url (rtmp[s]://) while the stream has a publisher. */
    public List<Push> pushes = new ArrayList<>();
    /** The longest wait between reconnects (the wait doubles from 1 s up to this). */
    public int retryMaxSeconds = 30;
    /** The most relays (config and API together) a node runs. */
    public int max = 100;

    public static final class Pull {
        public String url = "";
        public String app = "";
        public String stream = "";
    }

    public static final class Push {
        public String app = "";
        public String stream = "";
        public String url = "";
    }

    /** The relays this block names, in order: pulls, then pushes. Call after {@link #validate}. */
    public List<RelaySpec> specs() {
        List<RelaySpec> specs = new ArrayList<>();
        pulls.forEach(p -> specs.add(RelaySpec.of(RelaySpec.Kind.PULL, p.url, p.app, p.stream)));
        pushes.forEach(p -> specs.add(RelaySpec.of(RelaySpec.Kind.PUSH, p.url, p.app, p.stream)));
        return specs;
    }

    /** The first setting that cannot work, as {@code 'relays.pulls[0].url': what is wrong}, or null. */
    public String validate() {
        if (retryMaxSeconds < 1) {
            return "'relays.retryMaxSeconds': " + retryMaxSeconds + " is too small; allowed 1 or more";
        }
        if (max < 0) {
            return "'relays.max': " + max + " is too small; allowed 0 or more";
        }
        if (pulls.size() + pushes.size() > max) {
            return "'relays.max': " + max + " is fewer than the " + (pulls.size() + pushes.size()) + " relays configured";
        }
        for (int i = 0; i < pulls.size(); i++) {
            String problem = problem("relays.pulls[" + i + "]", RelaySpec.Kind.PULL, pulls.get(i).url, pulls.get(i).app, pulls.get(i).stream);
            if (problem != null) {
                return problem;
            }
        }
        for (int i = 0; i < pushes.size(); i++) {
            String problem = problem("relays.pushes[" + i + "]", RelaySpec.Kind.PUSH, pushes.get(i).url, pushes.get(i).app, pushes.get(i).stream);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String problem(String at, RelaySpec.Kind kind, String url, String app, String stream) {
        try {
            RelaySpec.of(kind, url, app, stream);
            return null;
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            int colon = message.indexOf(": ");
            return "'" + at + "." + message.substring(0, colon) + "'" + message.substring(colon);
        }
    }
}
