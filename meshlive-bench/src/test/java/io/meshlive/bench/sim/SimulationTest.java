package io.meshlive.bench.sim;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator at a small scale: its invariants, not its timings (those are for `./bench sim`). */
class SimulationTest {
    @Test
    void everyViewerIsServedBackupsAreDisjointAndEveryAffectedViewerIsReRouted() {
        SimResult r = new Simulation(new Simulation.Options(3, 240, 3_000, 60, 1.0, 0.7, 1, 0.05)).run();
        r.print(System.out);
        assertThat(r.violations()).isEmpty();
        assertThat(r.meshViewers()).isEqualTo(3_000);
        assertThat(r.routes).isPositive();
        assertThat(r.withBackup).isEqualTo(r.routes);
        assertThat(r.meshAffectedViewers()).isPositive();
        assertThat(r.meshReroutedViewers()).isEqualTo(r.meshAffectedViewers());
        assertThat(r.unservedAfterFailure()).isZero();
    }

    @Test
    void theSameSeedGivesTheSameRoutes() {
        Simulation.Options o = new Simulation.Options(5, 240, 2_000, 40, 1.0, 0.7, 0, 0.05);
        SimResult a = new Simulation(o).run();
        SimResult b = new Simulation(o).run();
        assertThat(a.mesh.all.mean()).isEqualTo(b.mesh.all.mean());
        assertThat(a.mesh.backhaulBits).isEqualTo(b.mesh.backhaulBits);
        assertThat(a.meshRestore.count()).isEqualTo(b.meshRestore.count());
    }
}
