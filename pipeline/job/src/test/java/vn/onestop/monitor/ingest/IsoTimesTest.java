package vn.onestop.monitor.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written reader of timestamps against the JDK's ISO_OFFSET_DATE_TIME, which it must never contradict. */
class IsoTimesTest {

    /** Hand-computed: 2024-01-15 is day 19,737 since 1970-01-01 (54 years of 365 days + 13 leap days + 14). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        2024-01-15T08:30:00+07:00     | 1705282200000
        2024-01-15T01:30:00Z          | 1705282200000
        2024-01-15T01:30:00.5Z        | 1705282200500
        2024-01-15T01:30:00.123456789Z| 1705282200123
        2024-01-14T20:30:00-05:00     | 1705282200000
        2024-02-29T00:00:00Z          | 1709164800000
        1969-12-31T23:59:59.999Z      | -1
        """)
    void readsTheProducersShape(String s, long expected) {
        assertThat(IsoTimes.epochMilli(s)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        2023-02-29T00:00:00Z
        1900-02-29T00:00:00Z
        2024-04-31T00:00:00Z
        2024-01-15T24:00:00Z
        2024-01-15T08:60:00Z
        2024-01-15T08:30:60Z
        2024-01-15T08:30:00
        2024-01-15 08:30:00Z
        2024-01-15T08:30Z
        2024-01-15t08:30:00z
        2024-01-15T08:30:00.Z
        2024-01-15T08:30:00.1234567890Z
        2024-01-15T08:30:00+0700
        2024-01-15T08:30:00+18:00
        2024-01-15T08:30:00+07:00:00
        2024-01-15T08:30:00+07:60
        +12024-01-15T08:30:00Z
        2024-1-15T08:30:00Z
        """)
    void leavesEverythingElseToTheFormatter(String s) {
        assertThat(IsoTimes.epochMilli(s)).isEqualTo(IsoTimes.NOT_READ);
    }

    /** Random near-misses of the shape: whenever the fast reader answers, the formatter agrees to the millisecond. */
    @Test
    void neverDisagreesWithTheFormatter() {
        SplittableRandom random = new SplittableRandom(17);
        String alphabet = "0123456789-:T.Z+ tz";
        int read = 0;
        for (int i = 0; i < 200_000; i++) {
            String s = String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", random.nextInt(10_000), random.nextInt(14),
                    random.nextInt(33), random.nextInt(26), random.nextInt(62), random.nextInt(62),
                    random.nextInt(3) == 0 ? "." + "123456789012".substring(0, random.nextInt(12)) : "",
                    switch (random.nextInt(4)) {
                        case 0 -> "Z";
                        case 1 -> String.format("+%02d:%02d", random.nextInt(20), random.nextInt(62));
                        case 2 -> String.format("-%02d:%02d", random.nextInt(20), random.nextInt(62));
                        default -> "";
                    });
            if (random.nextInt(4) == 0) {
                // One character replaced by another of the shape's alphabet.
                int at = random.nextInt(s.length());
                s = s.substring(0, at) + alphabet.charAt(random.nextInt(alphabet.length())) + s.substring(at + 1);
            }
            long fast = IsoTimes.epochMilli(s);
            Long jdk;
            try {
                jdk = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException x) {
                jdk = null;
            }
            if (fast != IsoTimes.NOT_READ) {
                read++;
                assertThat(jdk).as(s).isEqualTo(fast);
            }
        }
        // The generator must reach the fast path often, or the comparison above proves nothing.
        assertThat(read).isGreaterThan(20_000);
    }
}
