package io.dsynq.core.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dsynq.core.ApplyRequest;
import io.dsynq.core.DsynqException;
import io.dsynq.core.model.Delta;
import io.dsynq.core.model.DeltaId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransitionPlannerTest {

    private static final Map<String, String> CHANGED = new java.util.HashMap<>();

    /** Ids of the deltas of a fetched bundle. */
    private static final java.util.Set<String> FETCHED = new java.util.HashSet<>();

    private static Delta delta(int id) {
        return new Delta("db", id(id), Path.of(Integer.toString(id)), List.of(), null);
    }

    private static DeltaId id(int id) {
        return DeltaId.parse(id + ".000000");
    }

    private static HistoryEntry applied(int id) {
        return new HistoryEntry(id(id), "sum" + id, "", Instant.EPOCH, "me", 0, 0, 0, 0, 0, "");
    }

    private static List<Delta> local(int... ids) {
        return Arrays.stream(ids).mapToObj(TransitionPlannerTest::delta).toList();
    }

    private static List<HistoryEntry> history(int... ids) {
        return Arrays.stream(ids).mapToObj(TransitionPlannerTest::applied).toList();
    }

    private static List<String> plan(List<Delta> local, List<HistoryEntry> history, ApplyRequest request) {
        return TransitionPlanner.plan(
                        "db",
                        local,
                        history,
                        d -> CHANGED.getOrDefault(
                                d.id().text(), "sum" + d.id().text().replace(".000000", "")),
                        d -> FETCHED.contains(d.id().text()),
                        request)
                .stream()
                .map(m -> (m.forward() ? "+" : "-") + m.id().text().replace(".000000", ""))
                .toList();
    }

    /**
     * A move forward by an offset looked each delta of the folder up in the list of applied ones, comparing ids as
     * numbers made anew for each comparison: with 5,000 deltas applied, 25 million comparisons and over a gigabyte of
     * numbers made, 4 s before anything moved. Counted here by the bytes the plan allocates, not by its time.
     */
    @Test
    void aMoveForwardByAnOffsetDoesNotCompareEveryDeltaWithEveryAppliedOne() {
        int[] ids = java.util.stream.IntStream.rangeClosed(1, 5_001).toArray();
        List<Delta> local = local(ids);
        List<HistoryEntry> history = history(Arrays.copyOf(ids, 5_000));
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        List<String> moves = plan(local, history, ApplyRequest.offset(1));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(moves).containsExactly("+5001");
        assertThat(allocated).isLessThan(200_000_000L);
    }

    @Test
    void latestAppliesWhatIsPendingInOrder() {
        assertThat(plan(local(1, 2, 3), history(), ApplyRequest.latest())).containsExactly("+1", "+2", "+3");
        assertThat(plan(local(1, 2, 3), history(1), ApplyRequest.latest())).containsExactly("+2", "+3");
        assertThat(plan(local(1, 2, 3), history(1, 2, 3), ApplyRequest.latest()))
                .isEmpty();
    }

    @Test
    void toMovesForwardOrBackToExactlyThatDelta() {
        assertThat(plan(local(1, 2, 3), history(), ApplyRequest.to("2.000000"))).containsExactly("+1", "+2");
        assertThat(plan(local(1, 2, 3), history(1, 2, 3), ApplyRequest.to("1.000000")))
                .containsExactly("-3", "-2");
        assertThat(plan(local(1, 2, 3), history(1, 2, 3), ApplyRequest.to("0"))).containsExactly("-3", "-2", "-1");
        assertThatThrownBy(() -> plan(local(1), history(), ApplyRequest.to("7.000000")))
                .isInstanceOf(DsynqException.class)
                .hasMessage("database db: there is no delta 7.000000 in the delta folder nor in the history");
    }

    @Test
    void offsetsCountDeltas() {
        assertThat(plan(local(1, 2, 3), history(1, 2), ApplyRequest.offset(-1))).containsExactly("-2");
        assertThat(plan(local(1, 2, 3), history(1), ApplyRequest.offset(2))).containsExactly("+2", "+3");
        assertThat(plan(local(1, 2, 3), history(1), ApplyRequest.offset(0))).isEmpty();
        assertThatThrownBy(() -> plan(local(1, 2), history(1), ApplyRequest.offset(-2)))
                .hasMessage("database db: cannot move back 2 deltas, only 1 applied");
        assertThatThrownBy(() -> plan(local(1, 2), history(1), ApplyRequest.offset(3)))
                .hasMessage("database db: cannot move forward 3 deltas, only 1 pending");
    }

    @Test
    void anOlderPendingDeltaIsAppliedInItsPlace() {
        assertThat(plan(local(1, 2, 3), history(1, 3), ApplyRequest.latest())).containsExactly("-3", "+2", "+3");
    }

    @Test
    void missingDeltasStayAppliedButCannotBeAppliedAgain() {
        assertThat(plan(local(1, 3), history(1, 2), ApplyRequest.latest())).containsExactly("+3");
        assertThat(plan(local(1), history(1, 2), ApplyRequest.to("0"))).containsExactly("-2", "-1");
        assertThatThrownBy(() -> plan(local(1, 2), history(1, 3), ApplyRequest.latest()))
                .hasMessageContaining("delta 3.000000 would have to be rolled back and applied again");
    }

    /**
     * A developer back from a branch whose delta is applied to their database, on a branch that gained an older one,
     * was told to "move back past it explicitly with -Ddsynq.to", with neither the older delta nor the id to give
     * named. Both are named, and the id given moves the database to the older delta, rolling the missing one back.
     */
    @Test
    void aMissingDeltaThatWouldBeAppliedAgainNamesTheOlderOneAndTheIdToMoveTo() {
        assertThatThrownBy(() -> plan(local(1, 2, 4), history(1, 3, 5), ApplyRequest.latest()))
                .hasMessage("database db: delta 3.000000 would have to be rolled back and applied again after the"
                        + " older pending delta 2.000000, but it is missing from the delta folder (the history holds"
                        + " its reverse, not its files); restore its files, or roll it back with"
                        + " -Ddsynq.to=2.000000, which applies the older one too");
        assertThat(plan(local(1, 2, 4), history(1, 3, 5), ApplyRequest.to("2.000000")))
                .containsExactly("-5", "-3", "+2");
        assertThatThrownBy(() -> plan(local(1, 2, 3), history(4), ApplyRequest.latest()))
                .hasMessageContaining("after the older pending deltas 1.000000, 2.000000 and 3.000000, but")
                .hasMessageEndingWith("-Ddsynq.to=3.000000, which applies the older ones too");
        assertThat(plan(local(1, 2, 3), history(4), ApplyRequest.to("3.000000")))
                .containsExactly("-4", "+1", "+2", "+3");
    }

    @Test
    void aModifiedDeltaBlocksApplyingButCanBeRolledBack() {
        CHANGED.put("2.000000", "edited");
        try {
            assertThatThrownBy(() -> plan(local(1, 2, 3), history(1, 2), ApplyRequest.latest()))
                    .hasMessageContaining("delta 2.000000 was modified after it was applied")
                    .hasMessageContaining("-Ddsynq.to=1.000000")
                    .hasMessageEndingWith("then apply again, or restore its files (their bytes count: a line end"
                            + " added or taken away after a file's last record changes them too)");
            // an artifact deployed again with other files: there are none of the user's to restore
            FETCHED.add("2.000000");
            assertThatThrownBy(() -> plan(local(1, 2, 3), history(1, 2), ApplyRequest.latest()))
                    .hasMessageEndingWith(
                            "then apply again, or depend on the version of its artifact that was applied");
            assertThat(plan(local(1, 2, 3), history(1, 2), ApplyRequest.offset(-1)))
                    .containsExactly("-2");
            assertThat(plan(local(1, 2, 3), history(1, 2), ApplyRequest.to("1.000000")))
                    .containsExactly("-2");
        } finally {
            CHANGED.clear();
            FETCHED.clear();
        }
    }
}
