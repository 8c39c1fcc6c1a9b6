package vn.onestop.monitor.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DatasetWriterTest {
    static final Instant START = DatasetWriter.parseStart("2024-03-04");

    @Test
    void writesEachTopicsPayloadsOneLineEachInSendOrder(@TempDir Path dir) throws Exception {
        Simulator sim = Simulator.forDefaultDistrict(SimulationSettings.defaults(11, START).withDelivery(0.01, 0.02, 0.05));
        Instant until = START.plus(Duration.ofDays(5));
        Path dossiers = dir.resolve("out/dossiers.ndjson");
        Path feedback = dir.resolve("out/feedback.ndjson");

        DatasetWriter.Summary summary = DatasetWriter.write(sim, until, dossiers, feedback);

        List<String> expectedDossierLines = sim.stream(until).filter(r -> r.topic().equals(SimRecord.DOSSIER_EVENTS))
                .map(SimRecord::payloadText).toList();
        List<String> expectedFeedbackLines = sim.stream(until).filter(r -> r.topic().equals(SimRecord.QR_FEEDBACK))
                .map(SimRecord::payloadText).toList();
        assertThat(Files.readAllLines(dossiers, StandardCharsets.UTF_8)).isEqualTo(expectedDossierLines);
        assertThat(Files.readAllLines(feedback, StandardCharsets.UTF_8)).isEqualTo(expectedFeedbackLines);
        assertThat(summary.dossierLines()).isEqualTo(expectedDossierLines.size());
        assertThat(summary.feedbackLines()).isEqualTo(expectedFeedbackLines.size()).isPositive();
        assertThat(summary.malformed()).isPositive();
        assertThat(summary.lines()).isEqualTo(summary.events() + summary.duplicates() + summary.malformed());
    }

    @Test
    void stopsAtTheTargetNumberOfEventsAndReportsProgress(@TempDir Path dir) throws Exception {
        Simulator sim = Simulator.forDefaultDistrict(SimulationSettings.defaults(11, START));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        DatasetWriter.Summary summary = DatasetWriter.write(sim, START.plus(Duration.ofDays(365)), 1_000,
                dir.resolve("d.ndjson"), dir.resolve("f.ndjson"), new PrintStream(progress, true, StandardCharsets.UTF_8));
        assertThat(summary.events()).isEqualTo(1_000);
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("\r")
                .contains("dossiers");
    }

    @Test
    void mainWritesTheRequestedDays(@TempDir Path dir) throws Exception {
        Path d = dir.resolve("dossiers.ndjson");
        Path f = dir.resolve("feedback.ndjson");
        DatasetWriter.main(new String[]{"--dossiers=" + d, "--feedback=" + f, "--days=2", "--start=2024-01-15", "--seed=3", "--scale=2"});
        List<String> lines = Files.readAllLines(d);
        assertThat(lines).hasSizeGreaterThan(100);
        assertThat(lines.get(0)).startsWith("{\"eventId\":").contains("\"type\":\"RECEIVED\"").contains("+07:00");
        assertThat(Files.exists(f)).isTrue();
    }
}
