package io.meshlive.server.control;

import io.meshlive.core.AccessRequest;
import io.meshlive.core.Admission;
import io.meshlive.server.ServerConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Which apps may be published to at all ({@code publish.allow}): the named ones, or every app
 * with {@code "*"}. Applies to every ingest protocol (RTMP, WHIP) before signatures and webhooks;
 * play is not affected (an app nobody may publish to has nothing to play). App names are
 * compared in lower case, as {@link io.meshlive.core.StreamKey} folds them.
 */
public final class PublishRule implements Admission {
    public static final String ANY = "*";
    private final boolean any;
    private final Set<String> apps;

    public PublishRule(List<String> allow) {
        this.any = allow.contains(ANY);
        this.apps = new TreeSet<>();
        for (String app : allow) {
            apps.add(app.toLowerCase(Locale.ROOT));
        }
    }

    @Override
    public CompletionStage<Verdict> check(AccessRequest r) {
        boolean open = r.action() != AccessRequest.Action.PUBLISH || any || apps.contains(r.stream().app());
        return CompletableFuture.completedFuture(open ? Verdict.ALLOW
                : Verdict.deny("app-closed: publishing to app '" + r.stream().app() + "' is not allowed (publish.allow: " + apps + ")"));
    }

    /** One line for the start-up log: where anyone may publish or play, and what needs a signature. */
    public String describe(Map<String, ServerConfig.Signing> signing) {
        List<String> publishSigned = new ArrayList<>();
        List<String> playSigned = new ArrayList<>();
        signing.forEach((app, s) -> {
            if (s.publish) {
                publishSigned.add(app);
            }
            if (s.play) {
                playSigned.add(app);
            }
        });
        String publish = any ? "every app" : apps.isEmpty() ? "no app" : "apps " + apps;
        List<String> openPublish = new ArrayList<>();
        if (!any) {
            for (String app : apps) {
                if (!publishSigned.contains(app)) {
                    openPublish.add(app);
                }
            }
        }
        return "access: publishing allowed to " + publish + " (publish.allow)"
                + (any ? ", open without a signature except in " + publishSigned
                        : ", open without a signature in " + openPublish)
                + "; playing open without a signature in every app except " + playSigned;
    }
}
