package io.meshlive.server;

import io.meshlive.core.Hub;
import io.meshlive.flv.FlvService;
import io.meshlive.hls.HlsService;
import io.meshlive.webrtc.WebRtcHttp;
import io.meshlive.server.control.ControlApi;
import io.meshlive.server.metrics.NodeMetrics;
import io.meshlive.server.snapshot.LiveSnapshots;

import java.util.concurrent.Executor;

/**
 * What the HTTP port serves, shared by every connection's router.
 *
 * @param apiExecutor where API answers and metric scrapes are built, off the I/O threads
 * @param metricsPublic whether /metrics answers anyone, or only whom the API answers (metrics.public)
 */
record HttpServices(Hub hub, ControlApi api, NodeMetrics metrics, Executor apiExecutor, ConsoleAssets console, FlvService flv, HlsService hls,
                    WebRtcHttp webrtc,
                    LiveSnapshots snapshots, CrossOrigin.Policy cors, boolean metricsPublic) {
}
