package vn.onestop.monitor.sink;

import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;
import vn.onestop.monitor.alert.AlertKind;
import vn.onestop.monitor.alert.SlaAlert;
import vn.onestop.monitor.ingest.DeadLetter;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.Tally;
import vn.onestop.monitor.ingest.TallyCounts;
import vn.onestop.monitor.kpi.DossierRating;
import vn.onestop.monitor.kpi.Measure;
import vn.onestop.monitor.kpi.DossierRow;
import vn.onestop.monitor.kpi.UnitHourCounts;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The upserts of the tables the job owns: {@code kpi_hourly}, {@code dossier} and {@code dead_letter}. */
public final class Rows {
    private Rows() {}

    /** Dead-letter payloads are kept for replay, but bounded: a 2 MB record must not become a 2 MB row. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    public static final class KpiHourly implements UpsertStatement<UnitHourCounts> {
        private static final long serialVersionUID = 1L;

        @Override
        public String sql() {
            String cols = Arrays.stream(Measure.values()).map(Measure::column).collect(Collectors.joining(", "));
            String params = Arrays.stream(Measure.values()).map(c -> "?").collect(Collectors.joining(", "));
            String updates = Arrays.stream(Measure.values()).map(c -> c.column() + " = EXCLUDED." + c.column()).collect(Collectors.joining(", "));
            return "INSERT INTO kpi_hourly (unit_code, hour, " + cols + ", updated_at) VALUES (?, ?, " + params + ", now()) "
                    + "ON CONFLICT (unit_code, hour) DO UPDATE SET " + updates + ", updated_at = now()";
        }

        @Override
        public String key(UnitHourCounts row) {
            return row.unitCode + '|' + row.hourStart;
        }

        @Override
        public void bind(PreparedStatement ps, UnitHourCounts row) throws SQLException {
            ps.setString(1, row.unitCode);
            ps.setObject(2, time(row.hourStart));
            for (int i = 0; i < Measure.COUNT; i++) {
                ps.setLong(3 + i, row.counts[i]);
            }
        }
    }

    public static final class Dossier implements UpsertStatement<DossierRow> {
        private static final long serialVersionUID = 1L;

        @Override
        public String sql() {
            return "INSERT INTO dossier (dossier_id, unit_code, procedure_code, channel, received_at, due_at, effective_due_at, "
                    + "supplement_requests, waiting_supplement, paused_seconds, ended_at, end_type, status, digitised, result_digitised, "
                    + "apology_due_at, last_event_at, events_applied, " + INDEX_COLUMNS + ", updated_at) "
                    + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?, " + INDEX_PARAMS + ", now()) "
                    + "ON CONFLICT (dossier_id) DO UPDATE SET unit_code = EXCLUDED.unit_code, procedure_code = EXCLUDED.procedure_code, "
                    + "channel = EXCLUDED.channel, received_at = EXCLUDED.received_at, due_at = EXCLUDED.due_at, "
                    + "effective_due_at = EXCLUDED.effective_due_at, supplement_requests = EXCLUDED.supplement_requests, "
                    + "waiting_supplement = EXCLUDED.waiting_supplement, paused_seconds = EXCLUDED.paused_seconds, "
                    + "ended_at = EXCLUDED.ended_at, end_type = EXCLUDED.end_type, status = EXCLUDED.status, "
                    + "digitised = EXCLUDED.digitised, result_digitised = EXCLUDED.result_digitised, "
                    + "apology_due_at = EXCLUDED.apology_due_at, last_event_at = EXCLUDED.last_event_at, "
                    + "events_applied = EXCLUDED.events_applied, " + INDEX_UPDATES + ", updated_at = now() "
                    // a dossier whose state expired and that hears one more event must not lose its row to a pending one
                    + "WHERE dossier.status = 'PENDING_RECEIPT' OR EXCLUDED.status <> 'PENDING_RECEIPT'";
        }

        @Override
        public String key(DossierRow row) {
            return row.dossierId;
        }

        @Override
        public void bind(PreparedStatement ps, DossierRow r) throws SQLException {
            ps.setString(1, r.dossierId);
            ps.setString(2, r.unitCode);
            ps.setString(3, r.procedureCode);
            ps.setString(4, r.channel);
            setTime(ps, 5, r.receivedAt);
            setTime(ps, 6, r.dueAt);
            setTime(ps, 7, r.effectiveDueAt);
            ps.setInt(8, r.supplementRequests);
            ps.setBoolean(9, r.waitingSupplement);
            ps.setLong(10, r.pausedMs / 1000);
            setTime(ps, 11, r.endedAt);
            ps.setString(12, r.endType);
            ps.setString(13, r.status.name());
            ps.setBoolean(14, r.digitised);
            ps.setBoolean(15, r.resultDigitised);
            setTime(ps, 16, r.apologyDueAt);
            setTime(ps, 17, r.lastEventAt);
            ps.setInt(18, r.eventsApplied);
            setTime(ps, 19, r.resolvedAt);
            setTime(ps, 20, r.returnedAt);
            setTime(ps, 21, r.stoppedAt);
            setTime(ps, 22, r.withdrawnAt);
            ps.setString(23, timeArray(r.supplementRequestedAt));
            ps.setString(24, timeArray(r.supplementSuppliedAt));
            ps.setString(25, r.onlineMode);
            ps.setBoolean(26, r.syncedToPortal);
            ps.setBoolean(27, r.electronicResult);
            ps.setBoolean(28, r.reusedData);
            ps.setBoolean(29, r.personalDataStore);
            ps.setBoolean(30, r.vneid);
            ps.setInt(31, r.payments);
            ps.setLong(32, r.paymentAmount);
            ps.setBoolean(33, r.paidOnline);
        }

        /** The national index's columns (V9__national_index.sql), in bind order 19–33. */
        private static final String[] INDEX = {"resolved_at", "returned_at", "stopped_at", "withdrawn_at",
                "supplement_requested_at", "supplement_supplied_at", "online_mode", "synced_to_portal", "electronic_result",
                "reused_data", "personal_data_store", "vneid", "payments", "payment_amount", "paid_online"};
        private static final String INDEX_COLUMNS = String.join(", ", INDEX);
        // The two arrays are bound as text literals: pgjdbc has no portable binding for arrays of java.time values.
        private static final String INDEX_PARAMS = "?,?,?,?, CAST(? AS timestamptz[]), CAST(? AS timestamptz[]), ?,?,?,?,?,?,?,?,?";
        private static final String INDEX_UPDATES = Arrays.stream(INDEX).map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));

        /** A PostgreSQL array literal of UTC instants, NULL for an outstanding round. */
        static String timeArray(long[] times) {
            StringBuilder b = new StringBuilder("{");
            for (int i = 0; i < times.length; i++) {
                b.append(i == 0 ? "" : ",");
                b.append(times[i] == DossierEvent.NO_TIME ? "NULL" : "\"" + time(times[i]) + "\"");
            }
            return b.append('}').toString();
        }
    }

    /** Ratings naming a dossier; a rating is counted once, so a repeat only rewrites the same row. */
    public static final class DossierRatings implements UpsertStatement<DossierRating> {
        private static final long serialVersionUID = 1L;

        @Override
        public String sql() {
            return "INSERT INTO dossier_rating (feedback_id, dossier_id, unit_code, rating, submitted_at) VALUES (?,?,?,?,?) "
                    + "ON CONFLICT (feedback_id) DO UPDATE SET dossier_id = EXCLUDED.dossier_id, unit_code = EXCLUDED.unit_code, "
                    + "rating = EXCLUDED.rating, submitted_at = EXCLUDED.submitted_at";
        }

        @Override
        public String key(DossierRating r) {
            return r.feedbackId;
        }

        @Override
        public void bind(PreparedStatement ps, DossierRating r) throws SQLException {
            ps.setString(1, r.feedbackId);
            ps.setString(2, r.dossierId);
            ps.setString(3, r.unitCode);
            ps.setString(4, r.rating);
            setTime(ps, 5, r.submittedAt);
        }
    }

    /**
     * One row per bad record, however often it is read: the record's identity is its topic, reason, full length and
     * the SHA-256 of its stored bytes (V7). Each Kafka position is recorded once in {@code dead_letter_occurrence},
     * and only the statement that records a new position inserts the row or adds one to its {@code occurrences}, in
     * the same statement: a restart re-reading positions already recorded changes nothing, a replay that republishes
     * the record at new offsets counts it again. Coalescing (the {@link #key}) stays per position.
     */
    public static final class DeadLetters implements UpsertStatement<DeadLetter> {
        private static final long serialVersionUID = 1L;

        @Override
        public String sql() {
            return "WITH new_position AS ("
                    + " INSERT INTO dead_letter_occurrence (topic, kafka_partition, kafka_offset, reason, payload_bytes, payload_sha256)"
                    + " VALUES (?,?,?,?,?,?) ON CONFLICT (topic, kafka_partition, kafka_offset) DO NOTHING"
                    + " RETURNING topic, kafka_partition, kafka_offset, reason, payload_bytes, payload_sha256) "
                    + "INSERT INTO dead_letter (topic, kafka_partition, kafka_offset, reason, detail, payload, payload_bytes, payload_sha256) "
                    + "SELECT topic, kafka_partition, kafka_offset, reason, ?, ?, payload_bytes, payload_sha256 FROM new_position "
                    + "ON CONFLICT (topic, reason, payload_bytes, payload_sha256) "
                    + "DO UPDATE SET occurrences = dead_letter.occurrences + 1, last_seen_at = now()";
        }

        @Override
        public String key(DeadLetter d) {
            return d.topic + '|' + d.partition + '|' + d.offset;
        }

        @Override
        public void bind(PreparedStatement ps, DeadLetter d) throws SQLException {
            byte[] p = d.payload == null ? new byte[0] : d.payload;
            byte[] stored = p.length > MAX_PAYLOAD_BYTES ? Arrays.copyOf(p, MAX_PAYLOAD_BYTES) : p;
            ps.setString(1, d.topic);
            ps.setInt(2, d.partition);
            ps.setLong(3, d.offset);
            ps.setString(4, d.reason.name());
            ps.setInt(5, p.length);
            ps.setBytes(6, sha256(stored));
            ps.setString(7, d.detail == null ? null : d.detail.replace('\u0000', ' '));
            ps.setBytes(8, stored);
        }

        /** Of the stored bytes, as V7 computed it for the rows before it: {@code sha256(payload)}. */
        static byte[] sha256(byte[] stored) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(stored);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
        }
    }

    public static final class IngestTally implements UpsertStatement<TallyCounts.Row> {
        private static final long serialVersionUID = 1L;

        @Override
        public String sql() {
            return "INSERT INTO ingest_tally (topic, day, read, accepted, duplicates, dead_letters, updated_at) VALUES (?,?,?,?,?,?, now()) "
                    + "ON CONFLICT (topic, day) DO UPDATE SET read = EXCLUDED.read, accepted = EXCLUDED.accepted, "
                    + "duplicates = EXCLUDED.duplicates, dead_letters = EXCLUDED.dead_letters, updated_at = now()";
        }

        @Override
        public String key(TallyCounts.Row r) {
            return r.topic + '|' + r.day;
        }

        @Override
        public void bind(PreparedStatement ps, TallyCounts.Row r) throws SQLException {
            ps.setString(1, r.topic);
            ps.setObject(2, java.time.LocalDate.ofEpochDay(r.day));
            for (Tally.Outcome o : Tally.Outcome.values()) {
                ps.setLong(3 + o.ordinal(), r.counts[o.ordinal()]);
            }
        }
    }

    public static final class SlaAlerts implements UpsertStatement<SlaAlert>, CheckpointCommittedSink.RowCodec<SlaAlert> {
        private static final long serialVersionUID = 1L;

        /** An alert pending in a checkpoint (CheckpointCommittedSink): every field, in declaration order. */
        @Override
        public void write(DataOutputView out, SlaAlert a) throws IOException {
            text(out, a.id);
            text(out, a.kind == null ? null : a.kind.name());
            text(out, a.unitCode);
            text(out, a.dossierId);
            text(out, a.kpi);
            out.writeDouble(a.value);
            out.writeDouble(a.target);
            out.writeLong(a.openedAt);
            out.writeLong(a.closedAt);
            text(out, a.details);
            out.writeBoolean(a.retracted);
        }

        @Override
        public SlaAlert read(DataInputView in) throws IOException {
            SlaAlert a = new SlaAlert();
            a.id = text(in);
            String kind = text(in);
            a.kind = kind == null ? null : AlertKind.valueOf(kind);
            a.unitCode = text(in);
            a.dossierId = text(in);
            a.kpi = text(in);
            a.value = in.readDouble();
            a.target = in.readDouble();
            a.openedAt = in.readLong();
            a.closedAt = in.readLong();
            a.details = text(in);
            a.retracted = in.readBoolean();
            return a;
        }

        private static void text(DataOutputView out, String s) throws IOException {
            out.writeBoolean(s != null);
            if (s != null) {
                StringValue.writeString(s, out);
            }
        }

        private static String text(DataInputView in) throws IOException {
            return in.readBoolean() ? StringValue.readString(in) : null;
        }

        @Override
        public String sql() {
            return "INSERT INTO sla_alert (id, kind, unit_code, dossier_id, kpi, value, target, opened_at, closed_at, details, updated_at) "
                    + "VALUES (?,?,?,?,?,?,?,?,?,?::jsonb, now()) ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, unit_code = EXCLUDED.unit_code, "
                    + "dossier_id = EXCLUDED.dossier_id, kpi = EXCLUDED.kpi, value = EXCLUDED.value, target = EXCLUDED.target, "
                    + "opened_at = EXCLUDED.opened_at, closed_at = EXCLUDED.closed_at, details = EXCLUDED.details, updated_at = now()";
        }

        @Override
        public String key(SlaAlert a) {
            return a.id;
        }

        @Override
        public void bind(PreparedStatement ps, SlaAlert a) throws SQLException {
            ps.setString(1, a.id);
            ps.setString(2, a.kind.name());
            ps.setString(3, a.unitCode);
            ps.setString(4, a.dossierId);
            ps.setString(5, a.kpi);
            setDouble(ps, 6, a.value);
            setDouble(ps, 7, a.target);
            ps.setObject(8, time(a.openedAt));
            if (a.isOpen()) {
                ps.setNull(9, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                ps.setObject(9, time(a.closedAt));
            }
            ps.setString(10, a.details == null ? "{}" : a.details);
        }

        @Override
        public boolean isDelete(SlaAlert a) {
            return a.retracted;
        }

        @Override
        public String deleteSql() {
            return "DELETE FROM sla_alert WHERE id = ?";
        }

        @Override
        public void bindDelete(PreparedStatement ps, SlaAlert a) throws SQLException {
            ps.setString(1, a.id);
        }

        private static void setDouble(PreparedStatement ps, int i, double v) throws SQLException {
            if (Double.isNaN(v)) {
                ps.setNull(i, Types.NUMERIC);
            } else {
                ps.setDouble(i, v);
            }
        }
    }

    static OffsetDateTime time(long epochMillis) {
        // Not OffsetDateTime.ofInstant: that builds a ZoneRules for every value, a visible cost at 10k rows/s.
        long seconds = Math.floorDiv(epochMillis, 1000L);
        int nanos = (int) Math.floorMod(epochMillis, 1000L) * 1_000_000;
        return OffsetDateTime.of(LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC), ZoneOffset.UTC);
    }

    static void setTime(PreparedStatement ps, int i, long epochMillis) throws SQLException {
        if (epochMillis == DossierEvent.NO_TIME) {
            ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(i, time(epochMillis));
        }
    }
}
