package vn.onestop.monitor.reference;

import vn.onestop.monitor.units.CsvTable;
import vn.onestop.monitor.units.UnitRegistry;
import vn.onestop.monitor.units.UnitSuccession;
import vn.onestop.monitor.units.UnitVersion;
import vn.onestop.monitor.sink.Database;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Map;
import java.util.HashMap;
import java.util.List;
import java.util.Set;

/**
 * Loads units, procedures and SLA targets from CSV into PostgreSQL. For procedures, SLA targets and calendar days the
 * defaults shipped on the classpath are loaded first; files given by the operator then replace rows with the same
 * code and add new ones. The unit registry is different: it is checked as a whole (versions, parents, successions;
 * {@link UnitRegistryReader}), so a units file given by the operator replaces the default registry, together with
 * the operator's succession file or, without one, with no successions at all. The per-unit procedure catalogue of
 * the national index ({@link UnitProcedureCatalogue}) is a checked whole too: the operator's file replaces the default
 * one, and an operator's units file without one loads no catalogue.
 */
public final class ReferenceData {
    private static final String[] PROCEDURE_COLUMNS = {"code", "name", "field", "statutory_hours"};
    /** With the catalogue flags of the national index (issue 16); files with only the four columns above still load. */
    private static final String[] PROCEDURE_COLUMNS_766 = {"code", "name", "field", "statutory_hours",
            "full_online_eligible", "written_result", "has_fee"};
    /** With the applicant flag of indicator 4.5.2 as well (issue 16, V11); seven- and four-column files still load. */
    private static final String[] PROCEDURE_COLUMNS_CITIZEN = {"code", "name", "field", "statutory_hours",
            "full_online_eligible", "written_result", "has_fee", "citizen_applicant"};
    private static final String[] SLA_COLUMNS = {"unit_code", "on_time_rate", "online_share", "intake_digitisation", "satisfaction", "min_volume"};

    private ReferenceData() {}

    public record Loaded(int units, int procedures, int slaTargets, int officeHours, int calendarDays, int unitProcedures) {}

    private static final String[] HOURS_COLUMNS = {"weekday", "opens_at", "closes_at"};
    private static final String[] CALENDAR_COLUMNS = {"day", "kind", "name"};

    public static Loaded load(Database admin, Path units, Path procedures, Path slaTargets) throws IOException, SQLException {
        return load(admin, units, null, procedures, slaTargets, null, null);
    }

    public static Loaded load(Database admin, Path units, Path procedures, Path slaTargets, Path officeHours, Path calendar)
            throws IOException, SQLException {
        return load(admin, units, null, procedures, slaTargets, officeHours, calendar);
    }

    /**
     * Office hours given replace the default week entirely; calendar days given replace or add single days. The unit
     * registry is read and checked before anything is written, and everything is written in one transaction, so a
     * refused file leaves the database as it was.
     */
    public static Loaded load(Database admin, Path units, Path succession, Path procedures, Path slaTargets, Path officeHours,
            Path calendar) throws IOException, SQLException {
        return load(admin, units, succession, procedures, slaTargets, officeHours, calendar, null);
    }

    /**
     * As above, with the per-unit procedure catalogue: {@code unitProcedures} replaces the default
     * unit_procedures.csv as a whole; without it, the default catalogue is loaded with the default units, and no
     * catalogue at all with an operator's units file (the default catalogue names the default units), which leaves
     * the catalogue indicators out of unit_index_766 rather than scoring them 0.
     */
    public static Loaded load(Database admin, Path units, Path succession, Path procedures, Path slaTargets, Path officeHours,
            Path calendar, Path unitProcedures) throws IOException, SQLException {
        UnitRegistry registry = registry(units, succession);
        try (Connection c = admin.connect()) {
            c.setAutoCommit(false);
            int u = loadUnits(c, registry);
            int p = loadProcedures(c, classpath("procedures.csv")) + (procedures == null ? 0 : loadProcedures(c, file(procedures)));
            int s = loadTargets(c, classpath("sla_targets.csv")) + (slaTargets == null ? 0 : loadTargets(c, file(slaTargets)));
            int h = loadOfficeHours(c, officeHours == null ? classpath("office_hours.csv") : file(officeHours));
            int d = loadCalendar(c, classpath("calendar.csv")) + (calendar == null ? 0 : loadCalendar(c, file(calendar)));
            int up = loadUnitProcedures(c, unitProcedures != null ? file(unitProcedures)
                    : units == null ? classpath("unit_procedures.csv") : null, registry);
            c.commit();
            return new Loaded(u, p, s, h, d, up);
        }
    }

    /**
     * The registry the operator's files (or the defaults) make: {@code units} replaces the default units.csv, and
     * {@code succession} the default unit_succession.csv; a units file without a succession file has no successions,
     * since the default successions name the default units.
     */
    public static UnitRegistry registry(Path units, Path succession) throws IOException {
        String unitsSource = units == null ? "default units.csv" : units.toString();
        String successionSource = succession == null ? (units == null ? "default unit_succession.csv" : "(no unit_succession file)")
                : succession.toString();
        try (InputStream u = units == null ? resource("units.csv") : open(units);
             InputStream s = succession != null ? open(succession)
                     : units == null ? resource("unit_succession.csv")
                     : new java.io.ByteArrayInputStream("predecessor_code,successor_code,effective_from,share\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            return UnitRegistry.read(unitsSource, u, successionSource, s);
        }
    }

    /**
     * The registry as loaded into PostgreSQL, read back and checked again by the same rules (the tables may have been
     * written by hand): what the job resolves receipts and parents with.
     */
    public static UnitRegistry registry(Database db) throws SQLException, IOException {
        StringBuilder units = new StringBuilder("code,name,level,parent_code,valid_from,valid_to\n");
        StringBuilder succession = new StringBuilder("predecessor_code,successor_code,effective_from,share\n");
        try (Connection c = db.connect()) {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT code, name, level, coalesce(parent_code, ''), "
                    + "CASE WHEN valid_from = '-infinity' THEN '' ELSE valid_from::text END, coalesce(valid_to::text, '') "
                    + "FROM unit_version ORDER BY code, valid_from")) {
                while (rs.next()) {
                    units.append(csv(rs.getString(1))).append(',').append(csv(rs.getString(2))).append(',').append(rs.getString(3))
                            .append(',').append(csv(rs.getString(4))).append(',').append(rs.getString(5)).append(',')
                            .append(rs.getString(6)).append('\n');
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery("SELECT predecessor_code, successor_code, effective_from::text, share::text "
                    + "FROM unit_succession ORDER BY effective_from, predecessor_code, successor_code")) {
                while (rs.next()) {
                    succession.append(csv(rs.getString(1))).append(',').append(csv(rs.getString(2))).append(',')
                            .append(rs.getString(3)).append(',').append(rs.getString(4)).append('\n');
                }
            }
        }
        return UnitRegistry.read("table unit_version", new java.io.ByteArrayInputStream(units.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                "table unit_succession", new java.io.ByteArrayInputStream(succession.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static String csv(String v) {
        return v.indexOf(',') >= 0 || v.indexOf('"') >= 0 ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = ReferenceData.class.getResourceAsStream("/reference/" + name);
        if (in == null) {
            throw new IOException("default reference file /reference/" + name + " is missing from the build");
        }
        return in;
    }

    private static InputStream open(Path path) throws IOException {
        if (!Files.isReadable(path)) {
            throw new IOException("Reference file " + path.toAbsolutePath() + " does not exist or cannot be read");
        }
        return Files.newInputStream(path);
    }

    private static CsvTable classpath(String name) throws IOException {
        InputStream in = ReferenceData.class.getResourceAsStream("/reference/" + name);
        if (in == null) {
            throw new IOException("default reference file /reference/" + name + " is missing from the build");
        }
        return CsvTable.read("default " + name, in);
    }

    private static CsvTable file(Path path) throws IOException {
        if (!Files.isReadable(path)) {
            throw new IOException("Reference file " + path.toAbsolutePath() + " does not exist or cannot be read");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return CsvTable.read(path.toString(), in);
        }
    }

    /**
     * Replaces the registry: every version into unit_version, every succession into unit_succession, and each code's
     * latest version into unit (one row per code, for the views that predate versions).
     */
    private static int loadUnits(Connection c, UnitRegistry registry) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM unit_succession");
            s.execute("DELETE FROM unit_version");
            s.execute("DELETE FROM unit");
        }
        try (PreparedStatement version = c.prepareStatement("INSERT INTO unit_version (code, name, level, parent_code, valid_from, valid_to) "
                + "VALUES (?,?,?,?,coalesce(?, '-infinity'::date),?)");
             PreparedStatement unit = c.prepareStatement("INSERT INTO unit (code, name, level, parent_code, valid_from, valid_to) VALUES (?,?,?,?,?,?)")) {
            for (UnitVersion v : registry.allVersions()) {
                bindVersion(version, v);
                version.addBatch();
                if (registry.latestVersion(v.code()).orElseThrow().equals(v)) {
                    bindVersion(unit, v);
                    unit.addBatch();
                }
            }
            version.executeBatch();
            unit.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO unit_succession (predecessor_code, successor_code, effective_from, share) VALUES (?,?,?,?)")) {
            for (UnitSuccession s : registry.allSuccessions()) {
                ps.setString(1, s.predecessorCode());
                ps.setString(2, s.successorCode());
                ps.setDate(3, Date.valueOf(s.effectiveFrom()));
                ps.setBigDecimal(4, BigDecimal.valueOf(s.share()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return registry.allVersions().size();
    }

    private static void bindVersion(PreparedStatement ps, UnitVersion v) throws SQLException {
        ps.setString(1, v.code());
        ps.setString(2, v.name());
        ps.setString(3, v.level().name());
        ps.setString(4, v.parentCode());
        ps.setDate(5, v.validFrom() == null ? null : Date.valueOf(v.validFrom()));
        ps.setDate(6, v.validTo() == null ? null : Date.valueOf(v.validTo()));
    }

    private static int loadProcedures(Connection c, CsvTable t) throws IOException, SQLException {
        String[] columns = t.header().size() == PROCEDURE_COLUMNS_CITIZEN.length ? PROCEDURE_COLUMNS_CITIZEN
                : t.header().size() == PROCEDURE_COLUMNS_766.length ? PROCEDURE_COLUMNS_766 : PROCEDURE_COLUMNS;
        t.expect(columns);
        boolean flags = columns.length > PROCEDURE_COLUMNS.length;
        // A file without a flag column leaves that flag as it is (NULL = unknown for a new code): it says nothing about it.
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO procedure (code, name, field, statutory_hours, "
                + "full_online_eligible, written_result, has_fee, citizen_applicant) VALUES (?,?,?,?,?,?,?,?) "
                + "ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, field = EXCLUDED.field, statutory_hours = EXCLUDED.statutory_hours"
                + (flags ? ", full_online_eligible = EXCLUDED.full_online_eligible, written_result = EXCLUDED.written_result, has_fee = EXCLUDED.has_fee" : "")
                + (columns == PROCEDURE_COLUMNS_CITIZEN ? ", citizen_applicant = EXCLUDED.citizen_applicant" : ""))) {
            int line = 1;
            for (List<String> r : t.rows()) {
                line++;
                ps.setString(1, required(t, line, r.get(0), "code"));
                ps.setString(2, required(t, line, r.get(1), "name"));
                ps.setString(3, r.get(2).isEmpty() ? null : r.get(2));
                if (r.get(3).isEmpty()) {
                    ps.setNull(4, Types.NUMERIC);
                } else {
                    ps.setBigDecimal(4, number(t, line, r.get(3)));
                }
                for (int i = 4; i < 8; i++) {
                    if (i < columns.length && !r.get(i).isEmpty()) {
                        ps.setBoolean(i + 1, flag(t, line, r.get(i), columns[i]));
                    } else {
                        ps.setNull(i + 1, Types.BOOLEAN);
                    }
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return t.rows().size();
    }

    /** Catalogue flags are written true / false; anything else is a typo that would silently change points. */
    private static boolean flag(CsvTable t, int line, String value, String column) throws IOException {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IOException(t.source() + " line " + line + ": " + column + " must be true or false, not '" + value + "'");
        };
    }

    /**
     * Replaces the per-unit procedure catalogue ({@link UnitProcedureCatalogue}), checked against the registry and
     * the procedure table as just loaded (defaults plus the operator's procedures file).
     */
    private static int loadUnitProcedures(Connection c, CsvTable t, UnitRegistry registry) throws IOException, SQLException {
        c.createStatement().execute("DELETE FROM unit_procedure");
        if (t == null) {
            return 0;
        }
        Map<String, Boolean> eligible = new HashMap<>();
        try (ResultSet rs = c.createStatement().executeQuery("SELECT code, full_online_eligible FROM procedure")) {
            while (rs.next()) {
                boolean e = rs.getBoolean(2);
                eligible.put(rs.getString(1), rs.wasNull() ? null : e);
            }
        }
        List<UnitProcedureCatalogue.Row> rows = UnitProcedureCatalogue.read(t, code -> registry.latestVersion(code).isPresent(), eligible);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO unit_procedure (unit_code, procedure_code, online_service) VALUES (?,?,?)")) {
            for (UnitProcedureCatalogue.Row r : rows) {
                ps.setString(1, r.unitCode());
                ps.setString(2, r.procedureCode());
                ps.setString(3, r.onlineService());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return rows.size();
    }

    private static int loadTargets(Connection c, CsvTable t) throws IOException, SQLException {
        t.expect(SLA_COLUMNS);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sla_target (unit_code, on_time_rate, online_share, intake_digitisation, satisfaction, min_volume) "
                + "VALUES (?,?,?,?,?,?) ON CONFLICT (unit_code) DO UPDATE SET on_time_rate = EXCLUDED.on_time_rate, online_share = EXCLUDED.online_share, "
                + "intake_digitisation = EXCLUDED.intake_digitisation, satisfaction = EXCLUDED.satisfaction, min_volume = EXCLUDED.min_volume")) {
            int line = 1;
            for (List<String> r : t.rows()) {
                line++;
                ps.setString(1, required(t, line, r.get(0), "unit_code"));
                for (int i = 1; i <= 4; i++) {
                    BigDecimal v = number(t, line, r.get(i));
                    if (v.signum() < 0 || v.compareTo(BigDecimal.ONE) > 0) {
                        throw new IOException(t.source() + " line " + line + ": " + SLA_COLUMNS[i] + " is a ratio between 0 and 1, not " + v);
                    }
                    ps.setBigDecimal(i + 1, v);
                }
                ps.setInt(6, number(t, line, r.get(5)).intValueExact());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return t.rows().size();
    }

    private static int loadOfficeHours(Connection c, CsvTable t) throws IOException, SQLException {
        t.expect(HOURS_COLUMNS);
        c.createStatement().execute("DELETE FROM office_hours");
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO office_hours (weekday, opens_at, closes_at) VALUES (?,?,?)")) {
            int line = 1;
            for (List<String> r : t.rows()) {
                line++;
                try {
                    ps.setInt(1, Integer.parseInt(r.get(0)));
                    ps.setObject(2, java.time.LocalTime.parse(r.get(1)));
                    ps.setObject(3, java.time.LocalTime.parse(r.get(2)));
                } catch (RuntimeException e) {
                    throw new IOException(t.source() + " line " + line + ": weekday is 1 (Monday) to 7, times are HH:MM");
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return t.rows().size();
    }

    private static int loadCalendar(Connection c, CsvTable t) throws IOException, SQLException {
        t.expect(CALENDAR_COLUMNS);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO calendar_day (day, kind, name) VALUES (?,?,?) "
                + "ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name")) {
            int line = 1;
            for (List<String> r : t.rows()) {
                line++;
                if (!Set.of("HOLIDAY", "WORKING_DAY").contains(r.get(1))) {
                    throw new IOException(t.source() + " line " + line + ": kind must be HOLIDAY or WORKING_DAY, not '" + r.get(1) + "'");
                }
                setDate(ps, 1, t, line, required(t, line, r.get(0), "day"));
                ps.setString(2, r.get(1));
                ps.setString(3, required(t, line, r.get(2), "name"));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return t.rows().size();
    }

    private static String required(CsvTable t, int line, String v, String column) throws IOException {
        if (v.isEmpty()) {
            throw new IOException(t.source() + " line " + line + ": " + column + " is empty");
        }
        return v;
    }

    private static BigDecimal number(CsvTable t, int line, String v) throws IOException {
        try {
            return new BigDecimal(v);
        } catch (NumberFormatException e) {
            throw new IOException(t.source() + " line " + line + ": '" + v + "' is not a number");
        }
    }

    private static void setDate(PreparedStatement ps, int i, CsvTable t, int line, String v) throws SQLException, IOException {
        if (v.isEmpty()) {
            ps.setNull(i, Types.DATE);
            return;
        }
        try {
            ps.setDate(i, Date.valueOf(LocalDate.parse(v)));
        } catch (RuntimeException e) {
            throw new IOException(t.source() + " line " + line + ": '" + v + "' is not a date (YYYY-MM-DD)");
        }
    }
}
