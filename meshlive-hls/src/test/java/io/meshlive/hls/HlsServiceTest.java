package io.meshlive.hls;

import io.meshlive.core.Hub;
import io.meshlive.core.HubSettings;
import io.meshlive.core.Workers;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests HlsService answers by itself, before any admission or packager. */
class HlsServiceTest {
    private final DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
    private final HlsService hls = new HlsService(new Hub(new Workers(group), HubSettings.defaults()), HlsSettings.defaults());

    @AfterEach
    void stop() {
        hls.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The status and body HlsService answers {@code path} with on a connection of its own. */
    private String answer(String path) {
        EmbeddedChannel connection = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                hls.serve(ctx, (String) msg, Map.of(), true);
            }
        });
        try {
            connection.writeInbound(path);
            FullHttpResponse r = connection.readOutbound();
            try {
                return r.status().code() + " " + r.content().toString(StandardCharsets.UTF_8).trim();
            } finally {
                r.release();
            }
        } finally {
            connection.finishAndReleaseAll();
        }
    }

    @Test
    void segmentAndPartNumbersBeyondALongAreBadRequests() {
        assertThat(HlsService.handles("/live/a/seg-99999999999999999999.ts")).isTrue();
        assertThat(answer("/live/a/seg-99999999999999999999.ts"))
                .isEqualTo("400 segment or part number out of range in '/live/a/seg-99999999999999999999.ts'");
        assertThat(answer("/live/a/part-1.99999999999.m4s")).startsWith("400 segment or part number out of range");
    }

    @Test
    void badStreamNamesAndOtherPathsAreRefusedWithTheirReason() {
        assertThat(answer("/live/a.txt")).startsWith("404 not an HLS resource");
        assertThat(answer("/li%20ve/a.m3u8")).startsWith("400 ");
    }
}
