package io.meshlive.webrtc.datachannel;

import io.meshlive.webrtc.sctp.ChromiumPackets;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.meshlive.testkit.Hex.hex;

class DcepTest {
    @Test
    void readsChromiumsOpen() throws DcepException {
        Dcep.Open open = Dcep.parseOpen(Unpooled.wrappedBuffer(ChromiumPackets.DCEP_OPEN_MESSAGE));
        assertThat(open.channelType()).isEqualTo(Dcep.RELIABLE);
        assertThat(open.ordered()).isTrue();
        assertThat(open.priority()).isEqualTo(256);
        assertThat(open.reliability()).isZero();
        assertThat(open.label()).isEqualTo("cues");
        assertThat(open.protocol()).isEmpty();
    }

    @Test
    void readsAnUnorderedPartiallyReliableOpenWithAProtocol() throws DcepException {
        // RFC 8832 §5.1: type 0x81 (unordered, max retransmissions 3), label "chat", protocol "v1".
        Dcep.Open open = Dcep.parseOpen(Unpooled.wrappedBuffer(hex(
                "03810080 00000003 00040002 63686174 7631")));
        assertThat(open.ordered()).isFalse();
        assertThat(open.reliability()).isEqualTo(3);
        assertThat(open.label()).isEqualTo("chat");
        assertThat(open.protocol()).isEqualTo("v1");
    }

    @Test
    void writesTheOneByteAck() {
        var out = Unpooled.buffer(1);
        Dcep.writeAck(out);
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("02");
    }

    @Test
    void refusesMalformedOpens() {
        assertThatThrownBy(() -> Dcep.parseOpen(Unpooled.wrappedBuffer(hex("0300010000000000"))))
                .isInstanceOf(DcepException.class).hasMessageContaining("shorter");
        assertThatThrownBy(() -> Dcep.parseOpen(Unpooled.wrappedBuffer(hex("03000100 00000000 00050000 63756573"))))
                .hasMessageContaining("label of 5");
        assertThatThrownBy(() -> Dcep.parseOpen(Unpooled.wrappedBuffer(hex("03070100 00000000 00000000"))))
                .hasMessageContaining("channel type 0x07");
        assertThatThrownBy(() -> Dcep.parseOpen(Unpooled.wrappedBuffer(hex("03000100 00000000 01010000"))))
                .hasMessageContaining("longer than " + Dcep.MAX_NAME_BYTES);
        assertThatThrownBy(() -> Dcep.parseOpen(Unpooled.wrappedBuffer(hex("03000100 00000000 00020000 c328"))))
                .hasMessageContaining("not UTF-8");
        assertThatThrownBy(() -> Dcep.type(Unpooled.EMPTY_BUFFER)).hasMessageContaining("empty");
    }
}
