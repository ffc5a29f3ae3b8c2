package io.meshlive.server;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OpenFilesLimitTest {
    @Test
    void readsTheOpenFilesLineOfProcSelfLimits() {
        List<String> limits = List.of(
                "Limit                     Soft Limit           Hard Limit           Units     ",
                "Max processes             127431               127431               processes ",
                "Max open files            1048576              1048576              files     ",
                "Max locked memory         8388608              8388608              bytes     ");
        assertThat(OpenFilesLimit.parse(limits)).isEqualTo("soft 1048576, hard 1048576");
        assertThat(OpenFilesLimit.parse(List.of("Max processes 1 1 processes"))).isNull();
        System.out.println("this JVM: " + OpenFilesLimit.inEffect());
    }
}
