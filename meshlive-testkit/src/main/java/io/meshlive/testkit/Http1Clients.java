package io.meshlive.testkit;

import java.net.http.HttpClient;

/**
 * The JDK's {@link HttpClient}, held to HTTP/1.1, for tests and the bench.
 *
 * <p>Asked for its default (HTTP/2) on an {@code http://} URL, JDK 17's client opens each
 * connection with {@code Upgrade: h2c}, and it sometimes loses the answer's DATA frame: measured
 * against one node under CPU load, about one upgrade in 150 received the response's HEADERS and
 * never its body, waited for the node's idle timeout (its request timeout covers only the
 * headers) and failed with "EOF reached while reading". The node had written the frames (its
 * HTTP/2 frame log shows the DATA frame), and a plain socket client sending the same upgrade
 * read every byte in 3,000 of 3,000 tries under the same load. h2c itself is tested with curl
 * ({@code HlsHttp2Test}).
 */
public final class Http1Clients {
    private Http1Clients() {
    }

    /** A builder for an HTTP/1.1 client; add timeouts and redirect policy as needed. */
    public static HttpClient.Builder builder() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
    }
}
