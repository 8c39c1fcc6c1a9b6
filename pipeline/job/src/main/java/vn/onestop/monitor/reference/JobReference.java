package vn.onestop.monitor.reference;

import vn.onestop.monitor.units.UnitRegistry;
import vn.onestop.monitor.alert.SlaTargets;
import vn.onestop.monitor.alert.WorkingCalendar;
import vn.onestop.monitor.sink.Database;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reference data the job carries with it, read once at start from PostgreSQL (where the CSVs were loaded):
 * the effective-dated unit registry (which code names which unit on which day, and its parent then), the office
 * calendar and the SLA targets. A change to them takes effect at the next job start.
 */
public record JobReference(UnitRegistry units, WorkingCalendar calendar, SlaTargets targets) implements Serializable {

    public static JobReference load(Database db) throws SQLException, java.io.IOException {
        UnitRegistry units = ReferenceData.registry(db);
        Map<DayOfWeek, List<WorkingCalendar.Period>> hours = new EnumMap<>(DayOfWeek.class);
        Set<LocalDate> holidays = new HashSet<>();
        Set<LocalDate> workingDays = new HashSet<>();
        Map<String, SlaTargets.Target> targets = new HashMap<>();
        try (Connection c = db.connect()) {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT weekday, opens_at, closes_at FROM office_hours")) {
                while (rs.next()) {
                    hours.computeIfAbsent(DayOfWeek.of(rs.getInt(1)), d -> new ArrayList<>())
                            .add(new WorkingCalendar.Period(rs.getTime(2).toLocalTime(), rs.getTime(3).toLocalTime()));
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery("SELECT day, kind FROM calendar_day")) {
                while (rs.next()) {
                    (rs.getString(2).equals("HOLIDAY") ? holidays : workingDays).add(rs.getObject(1, LocalDate.class));
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT unit_code, on_time_rate, online_share, intake_digitisation, satisfaction, min_volume FROM sla_target")) {
                while (rs.next()) {
                    targets.put(rs.getString(1), new SlaTargets.Target(rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5), rs.getLong(6)));
                }
            }
        }
        if (hours.isEmpty()) {
            throw new SQLException("office_hours is empty: load the reference data (office_hours.csv) before starting the job");
        }
        return new JobReference(units, new WorkingCalendar(hours, holidays, workingDays), new SlaTargets(targets));
    }

    /** The default targets around the given codes (valid on every day, no parents), for tests that need no database. */
    public static JobReference withDefaults(Set<String> units) {
        return withDefaults(UnitRegistry.undated(units));
    }

    /** The default targets around a given unit registry, for tests that need no database. */
    public static JobReference withDefaults(UnitRegistry units) {
        return new JobReference(units, WorkingCalendar.officeWeek(Set.of(), Set.of()), new SlaTargets(Map.of()));
    }
}
