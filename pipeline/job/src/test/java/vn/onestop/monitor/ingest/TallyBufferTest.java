package vn.onestop.monitor.ingest;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.onestop.monitor.ingest.Tally.Outcome.ACCEPTED;
import static vn.onestop.monitor.ingest.Tally.Outcome.DEAD_LETTER;
import static vn.onestop.monitor.ingest.Tally.Outcome.DUPLICATE;
import static vn.onestop.monitor.ingest.Tally.Outcome.READ;

/** Tallies summed per topic and local day: the sums are the counts one tally at a time would have given. */
class TallyBufferTest {
    /** 2024-01-15 10:00 in Vietnam (UTC+7). */
    private static final long DAY_15 = 1_705_287_600_000L;

    static Stream<Arguments> cases() {
        long lastMsOf15 = localMidnightAfter(DAY_15) - 1;
        long firstMsOf16 = localMidnightAfter(DAY_15);
        return Stream.of(
                Arguments.of("nothing added, nothing to emit", List.of(), Map.of()),
                Arguments.of("one tally", List.of(t("dossier-events", DAY_15, READ)),
                        Map.of("dossier-events|" + day(DAY_15), "1 0 0 0")),
                Arguments.of("outcomes of one key add up in their own slots",
                        List.of(t("dossier-events", DAY_15, READ), t("dossier-events", DAY_15, ACCEPTED), t("dossier-events", DAY_15, READ),
                                t("dossier-events", DAY_15, DUPLICATE), t("dossier-events", DAY_15, READ), t("dossier-events", DAY_15, DEAD_LETTER)),
                        Map.of("dossier-events|" + day(DAY_15), "3 1 1 1")),
                Arguments.of("topics are separate keys",
                        List.of(t("dossier-events", DAY_15, READ), t("qr-feedback", DAY_15, READ), t("qr-feedback", DAY_15, ACCEPTED)),
                        Map.of("dossier-events|" + day(DAY_15), "1 0 0 0", "qr-feedback|" + day(DAY_15), "1 1 0 0")),
                Arguments.of("the local day splits at Vietnam's midnight, not UTC's",
                        List.of(t("dossier-events", lastMsOf15, READ), t("dossier-events", firstMsOf16, READ), t("dossier-events", firstMsOf16, ACCEPTED)),
                        Map.of("dossier-events|" + day(lastMsOf15), "1 0 0 0", "dossier-events|" + (day(lastMsOf15) + 1), "1 1 0 0")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sumsPerTopicAndDay(String name, List<Tally> tallies, Map<String, String> expected) {
        TallyBuffer buffer = new TallyBuffer();
        tallies.forEach(buffer::add);
        assertThat(buffer.size()).isEqualTo(expected.size());
        assertThat(render(buffer.drain())).isEqualTo(new TreeMap<>(expected));
        assertThat(buffer.isEmpty()).as("drained").isTrue();
        assertThat(buffer.drain()).as("a second drain emits nothing again").isEmpty();
    }

    private static Map<String, String> render(List<TallySum> sums) {
        return sums.stream().collect(Collectors.toMap(TallySum::key,
                s -> Arrays.stream(s.counts).mapToObj(Long::toString).collect(Collectors.joining(" ")), (a, b) -> a + " AND " + b, TreeMap::new));
    }

    private static Tally t(String topic, long timestamp, Tally.Outcome o) {
        return new Tally(topic, timestamp, o);
    }

    private static int day(long timestamp) {
        return new Tally("x", timestamp, READ).day;
    }

    private static long localMidnightAfter(long timestamp) {
        long offset = 7 * 3_600_000L;
        return Math.floorDiv(timestamp + offset, 86_400_000L) * 86_400_000L + 86_400_000L - offset;
    }
}
