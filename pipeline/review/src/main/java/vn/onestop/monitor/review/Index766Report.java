package vn.onestop.monitor.review;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.Optional;

/**
 * The national index's part of a review run: {@link Index766Section} for any period and, for the month still
 * running, {@link MonthEndProjection}. Writes their CSV files next to the review's and returns their HTML for the
 * report, so ReviewReport needs one call.
 */
public final class Index766Report {
    private Index766Report() {}

    public static Path csvFile(Path dir, ReviewPeriod period) {
        return dir.resolve("review-" + period.label() + "-766.csv");
    }

    public static Path projectionCsvFile(Path dir, ReviewPeriod period) {
        return dir.resolve("review-" + period.label() + "-766-projection.csv");
    }

    /** Writes review-&lt;period&gt;-766.csv (and -766-projection.csv for the running month) into dir; returns the HTML. */
    public static String write(Connection c, ReviewPeriod period, Map<String, String> names, Path dir) throws Exception {
        Index766Section section = Index766Section.load(c, period);
        Optional<MonthEndProjection> projection = MonthEndProjection.load(c, period);
        Files.createDirectories(dir);
        Files.writeString(csvFile(dir, period), section.csv(), StandardCharsets.UTF_8);
        Files.deleteIfExists(projectionCsvFile(dir, period));
        StringBuilder html = new StringBuilder(section.html(names));
        if (projection.isPresent()) {
            Files.writeString(projectionCsvFile(dir, period), projection.get().csv(), StandardCharsets.UTF_8);
            html.append(projection.get().html(names));
        }
        return html.toString();
    }
}
