package vn.onestop.monitor.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SubtaskSkewTest {
    @Test
    void evenLoadIsOne() {
        SubtaskSkew s = new SubtaskSkew("classify dossiers", "dossier id", List.of(100L, 100L, 100L, 100L));
        assertThat(s.mean()).isEqualTo(100.0);
        assertThat(s.maxOverMean()).isEqualTo(1.0);
        assertThat(s.idleSubtasks()).isZero();
    }

    @Test
    void handComputedSkew() {
        // 90 + 110 + 120 + 80 = 400, mean 100, busiest 120: 1.20, inside the 1.5 bound.
        SubtaskSkew s = new SubtaskSkew("classify dossiers", "dossier id", List.of(90L, 110L, 120L, 80L));
        assertThat(s.total()).isEqualTo(400);
        assertThat(s.maxOverMean()).isCloseTo(1.20, within(1e-9));
        // 5 units over 4 subtasks with 2, 2, 1, 0 of them at 100 records each: mean 125, busiest 200 → 1.60, one idle.
        SubtaskSkew units = new SubtaskSkew("unit-hour counts", "unit", List.of(200L, 200L, 100L, 0L));
        assertThat(units.maxOverMean()).isCloseTo(1.60, within(1e-9));
        assertThat(units.idleSubtasks()).isEqualTo(1);
        // Everything on one subtask of four: max/mean equals the parallelism.
        assertThat(new SubtaskSkew("t", "k", List.of(0L, 0L, 7L, 0L)).maxOverMean()).isCloseTo(4.0, within(1e-9));
    }

    @Test
    void noRecordsIsNotSkew() {
        assertThat(new SubtaskSkew("t", "k", List.of(0L, 0L)).maxOverMean()).isZero();
    }

    @Test
    void tableHasOneLinePerSubtaskAndTheFiguresOnTheFirst() {
        String t = SubtaskSkew.table(List.of(new SubtaskSkew("classify dossiers", "dossier id", List.of(90L, 110L, 120L, 80L))));
        List<String> lines = t.lines().toList();
        assertThat(lines).hasSize(2 + 4);
        assertThat(lines.get(2)).contains("classify dossiers", "dossier id", "90", "100.0", "1.20");
        assertThat(lines.get(3)).doesNotContain("classify").contains("110");
        // A Markdown table whose columns line up in a terminal too: every line as wide as the header.
        assertThat(lines).extracting(String::length).containsOnly(lines.get(0).length());
    }
}
