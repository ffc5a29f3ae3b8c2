package io.meshlive.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientTextTest {
    @Test
    void newlinesAndNulCannotForgeOrBinaryALogLine() {
        assertThat(ClientText.quote("a\nINFO forged line\r\u0000'\\")).isEqualTo("'a\\nINFO forged line\\r\\u0000\\'\\\\'");
        assertThat(ClientText.quote(null)).isEqualTo("null");
    }

    @Test
    void aMegabyteNameCostsOneShortLine() {
        String quoted = ClientText.quote("x".repeat(1 << 20));
        assertThat(quoted).hasSizeLessThan(ClientText.MAX_CHARS + 40).endsWith("...(" + ((1 << 20) - ClientText.MAX_CHARS) + " more chars)");
    }

    @Test
    void oneNameRuleItsRefusalQuotesTheNameAndStatesTheRule() {
        assertThatThrownBy(() -> new StreamKey("live", "evil\nname"))
                .hasMessage("bad stream name 'evil\\nname': use " + StreamKey.NAME_RULE);
        assertThatThrownBy(() -> new StreamKey("live", "y".repeat(129))).hasMessageContaining("more chars)");
        assertThatThrownBy(() -> new StreamKey("..", "x")).hasMessageContaining("bad app name");
        assertThat(new StreamKey("LIVE", "Demo")).as("apps fold to lower case, streams keep theirs").isEqualTo(new StreamKey("live", "Demo"));
    }
}
