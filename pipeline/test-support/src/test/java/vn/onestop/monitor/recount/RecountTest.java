package vn.onestop.monitor.recount;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Hand-computed cases of the rules Recount restates (docs/RULES.md, docs/ALERTS.md), one dossier each. */
class RecountTest {
    // Wednesday 2024-03-13, due at 17:00 local time (+07)
    static final String DUE = "2024-03-13T17:00:00+07:00";

    static byte[] event(String id, String dossier, String type, String at) {
        String extra = type.equals("RECEIVED")
                ? ",\"unitCode\":\"U1\",\"channel\":\"ONLINE\",\"dueAt\":\"" + DUE + "\",\"digitised\":true"
                : type.equals("RESOLVED") ? ",\"resultDigitised\":true" : "";
        return ("{\"eventId\":\"" + id + "\",\"dossierId\":\"" + dossier + "\",\"type\":\"" + type + "\",\"occurredAt\":\"" + at + "\"" + extra + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** One dossier "d" from (type, local time) pairs, its events numbered in order. */
    static Recount dossier(String... typeAndTime) throws Exception {
        Recount r = new Recount();
        for (int i = 0; i < typeAndTime.length; i += 2) {
            r.dossierLine(event("e" + i, "d", typeAndTime[i], typeAndTime[i + 1]));
        }
        return r;
    }

    static Recount.Dossier only(Recount r) {
        List<Recount.Dossier> ds = r.dossiers();
        assertThat(ds).hasSize(1);
        return ds.get(0);
    }

    static long micros(String iso) {
        return Recount.micros(iso);
    }

    @Test
    void earlyOnTimeAndLateByTheLocalDayOfTheEndAgainstTheDueTime() throws Exception {
        Map<String, Recount.Outcome> cases = Map.of(
                "2024-03-12T16:00:00+07:00", Recount.Outcome.EARLY,     // the day before
                "2024-03-13T16:59:00+07:00", Recount.Outcome.ON_TIME,   // the due day, before the due time
                "2024-03-13T17:01:00+07:00", Recount.Outcome.LATE);     // after the due time
        for (Map.Entry<String, Recount.Outcome> c : cases.entrySet()) {
            Recount r = new Recount();
            r.dossierLine(event("e1", "d", "RECEIVED", "2024-03-11T09:00:00+07:00"));
            r.dossierLine(event("e2", "d", "RESOLVED", c.getKey()));
            r.dossierLine(event("e2", "d", "RESOLVED", c.getKey())); // a re-delivery counts once
            assertThat(only(r).outcome()).as(c.getKey()).isEqualTo(c.getValue());
            Map<String, List<Long>> daily = r.daily();
            String endDay = "U1|" + OffsetDateTime.parse(c.getKey()).toLocalDate();
            assertThat(daily.get("U1|2024-03-11")).startsWith(1L, 1L, 1L);      // received, online, digitised
            assertThat(daily.get(endDay).get(Recount.COLUMNS.indexOf("resolved"))).isEqualTo(1);
            assertThat(daily.get(endDay).get(Recount.COLUMNS.indexOf("results_digitised"))).isEqualTo(1);
        }
    }

    @Test
    void aCompletedWaitMovesTheDueTimeAndTheClockRunsOutThen() throws Exception {
        Recount r = dossier(
                "RECEIVED", "2024-03-11T09:00:00+07:00",
                "SUPPLEMENT_REQUESTED", "2024-03-13T09:00:00+07:00",
                "SUPPLEMENT_RECEIVED", "2024-03-14T09:00:00+07:00");
        Recount.Dossier d = only(r);
        assertThat(d.outcome()).isEqualTo(Recount.Outcome.OPEN);
        assertThat(d.clockDue()).as("Thursday 17:00").isEqualTo(micros("2024-03-14T17:00:00+07:00"));
        assertThat(d.clockStoppedAt()).as("still running").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void noOverdueTimeWhileWaitingEvenIfTheDossierIsThenWithdrawn() throws Exception {
        Recount r = dossier(
                "RECEIVED", "2024-03-11T09:00:00+07:00",
                "SUPPLEMENT_REQUESTED", "2024-03-13T09:00:00+07:00",
                "WITHDRAWN", "2024-03-16T09:00:00+07:00");
        Recount.Dossier d = only(r);
        assertThat(d.outcome()).isEqualTo(Recount.Outcome.WITHDRAWN);
        assertThat(d.clockStoppedAt()).as("the clock stood still from the request").isEqualTo(micros("2024-03-13T09:00:00+07:00"));
        assertThat(d.clockDue()).isGreaterThan(d.clockStoppedAt()); // not overdue
        assertThat(r.daily().get("U1|2024-03-16")).as("a withdrawal is not a resolution").isNull();
    }

    @Test
    void aWaitBegunAfterTheClockRanOutDoesNotUndoTheOverdueTime() throws Exception {
        Recount r = dossier(
                "RECEIVED", "2024-03-11T09:00:00+07:00",
                "SUPPLEMENT_REQUESTED", "2024-03-14T09:00:00+07:00",
                "SUPPLEMENT_RECEIVED", "2024-03-15T09:00:00+07:00",
                "RESOLVED", "2024-03-15T10:00:00+07:00");
        Recount.Dossier d = only(r);
        assertThat(d.clockDue()).isEqualTo(micros(DUE));
        assertThat(d.clockStoppedAt()).isEqualTo(micros("2024-03-15T10:00:00+07:00"));
        assertThat(d.outcome()).isEqualTo(Recount.Outcome.LATE);
        assertThat(d.due()).as("the on-time rule moves the due time by every wait").isEqualTo(micros("2024-03-14T17:00:00+07:00"));
    }

    @Test
    void moreThanOneSupplementRequestIsLateWhateverTheTime() throws Exception {
        Recount r = dossier(
                "RECEIVED", "2024-03-11T09:00:00+07:00",
                "SUPPLEMENT_REQUESTED", "2024-03-11T10:00:00+07:00",
                "SUPPLEMENT_RECEIVED", "2024-03-11T11:00:00+07:00",
                "SUPPLEMENT_REQUESTED", "2024-03-11T12:00:00+07:00",
                "SUPPLEMENT_RECEIVED", "2024-03-11T13:00:00+07:00",
                "RESOLVED", "2024-03-12T09:00:00+07:00");
        assertThat(only(r).outcome()).isEqualTo(Recount.Outcome.LATE);
    }
}
