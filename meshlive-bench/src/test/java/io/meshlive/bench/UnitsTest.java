package io.meshlive.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnitsTest {
    @Test
    void readsDurationsRatesAndBitRates() {
        assertThat(Units.duration("60")).isEqualTo(Duration.ofSeconds(60));
        assertThat(Units.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Units.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Units.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Units.perSecond("200/s")).isEqualTo(200);
        assertThat(Units.perSecond("60/m")).isEqualTo(1);
        assertThat(Units.bitsPerSecond("2000k")).isEqualTo(2_000_000);
        assertThat(Units.bitsPerSecond("2.5M")).isEqualTo(2_500_000);
    }

    @Test
    void saysWhatItExpected() {
        assertThatThrownBy(() -> Units.duration("soon")).isInstanceOf(TypeConversionException.class).hasMessageContaining("500ms");
        assertThatThrownBy(() -> Units.perSecond("5/h")).hasMessageContaining("200/s");
    }
}
