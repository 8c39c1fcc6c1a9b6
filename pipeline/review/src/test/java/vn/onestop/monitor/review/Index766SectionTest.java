package vn.onestop.monitor.review;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class Index766SectionTest {
    @Test
    void indicatorsAreOrderedByTheirIdsPartByPartNotAsText() {
        List<String> ids = new ArrayList<>(List.of("5.4", "4.5.1", "10.1", "3.6", "4.5.2", "3.5.1", "1.4", "4.5", "2.1", "3.5.2"));
        ids.sort(Index766Section.INDICATOR_ORDER);
        // As text "10.1" would come before "2.1"; "4.5" (a group id) comes before its parts.
        assertThat(ids).containsExactly("1.4", "2.1", "3.5.1", "3.5.2", "3.6", "4.5", "4.5.1", "4.5.2", "5.4", "10.1");
    }
}
