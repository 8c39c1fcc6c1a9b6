package vn.onestop.monitor.review;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The month-end projection of 2.1 (docs/INDEX766.md, "Month-end projection"; V12's unit_index_766_projection and
 * unit_index_766_projection_dossier) for the review of the month that is still running: per unit the month's 2.1 if
 * every open dossier due this month ends in time and if every one stays open past its due time, and the open
 * dossiers that move their unit's points most. Only the month of the data's latest event has a projection; a
 * review of any other period has none.
 */
public final class MonthEndProjection {
    /** Dossiers listed in the report, those worth most to their own unit first. */
    static final int DOSSIERS_LISTED = 20;

    public record UnitRow(String unitCode, String unitName, long handled, long openLate, long openDueThisMonth,
                          long openDueAfterMonth, BigDecimal pointsIfLate, BigDecimal pointsIfOnTime, BigDecimal maxPoints) {}

    public record DossierRow(String dossierId, String unitCode, String unitName, String procedureCode, OffsetDateTime dueAt,
                             BigDecimal ownUnitPointsAtStake) {}

    private final ReviewPeriod period;
    private final OffsetDateTime asOf;
    private final List<UnitRow> units;
    private final List<DossierRow> dossiers;

    private MonthEndProjection(ReviewPeriod period, OffsetDateTime asOf, List<UnitRow> units, List<DossierRow> dossiers) {
        this.period = period;
        this.asOf = asOf;
        this.units = units;
        this.dossiers = dossiers;
    }

    public List<UnitRow> units() {
        return units;
    }

    public List<DossierRow> dossiers() {
        return dossiers;
    }

    public OffsetDateTime asOf() {
        return asOf;
    }

    /** The projection when {@code period} is the month of the data's latest event, else empty. */
    public static Optional<MonthEndProjection> load(Connection c, ReviewPeriod period) throws SQLException {
        if (period.type() != ReviewPeriod.Type.MONTH) {
            return Optional.empty();
        }
        OffsetDateTime asOf = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT as_of FROM index_766_projection_month WHERE period = ?")) {
            ps.setString(1, period.label());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    asOf = rs.getObject(1, OffsetDateTime.class);
                }
            }
        }
        if (asOf == null) {
            return Optional.empty();
        }
        List<UnitRow> units = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT p.unit_code, coalesce(u.name, p.unit_code), p.handled, p.open_late, p.open_due_this_month, p.open_due_after_month,"
                        + " p.points_if_late, p.points_if_on_time, p.max_points"
                        + " FROM unit_index_766_projection p LEFT JOIN unit u ON u.code = p.unit_code"
                        + " WHERE p.period = ? ORDER BY u.parent_code NULLS FIRST, u.level, p.points_if_on_time - p.points_if_late DESC, p.unit_code")) {
            ps.setString(1, period.label());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    units.add(new UnitRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                            rs.getBigDecimal(7), rs.getBigDecimal(8), rs.getBigDecimal(9)));
                }
            }
        }
        List<DossierRow> dossiers = new ArrayList<>();
        // Each dossier once, at its own unit: what ending it in time is worth to the unit that handles it.
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT d.dossier_id, d.dossier_unit_code, coalesce(u.name, d.dossier_unit_code), d.procedure_code, d.due_for_2_1,"
                        + " d.own_unit_points_at_stake FROM unit_index_766_projection_dossier d LEFT JOIN unit u ON u.code = d.dossier_unit_code"
                        + " WHERE d.period = ? AND d.unit_code = d.dossier_unit_code AND d.outlook = 'DUE_THIS_MONTH'"
                        + " ORDER BY d.own_unit_points_at_stake DESC, d.due_for_2_1, d.dossier_id LIMIT " + DOSSIERS_LISTED)) {
            ps.setString(1, period.label());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    dossiers.add(new DossierRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getObject(5, OffsetDateTime.class), rs.getBigDecimal(6)));
                }
            }
        }
        return Optional.of(new MonthEndProjection(period, asOf, units, dossiers));
    }

    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm");

    private static String local(OffsetDateTime t) {
        return t == null ? "—" : t.atZoneSameInstant(vn.onestop.monitor.ingest.LocalClock.ZONE).format(LOCAL_TIME);
    }

    public String html(Map<String, String> names) {
        StringBuilder h = new StringBuilder(8_000);
        h.append("<section id=\"index-766-projection\">\n<h2>Dự báo điểm 2.1 cuối ").append(ReviewHtml.escape(period.vietnamese()))
                .append("</h2>\n<p class=\"sub\">Tính đến ").append(local(asOf))
                .append(" (sự kiện mới nhất trong dữ liệu). \"Nếu trễ\": mọi hồ sơ đang mở còn mở quá hạn; \"nếu đúng hạn\": mọi hồ sơ đang mở ")
                .append("đến hạn trong tháng được giải quyết đúng hạn. Hồ sơ đã quá hạn vẫn tính trễ; hồ sơ đến hạn sau cuối tháng tính đúng hạn.</p>\n");
        h.append("<table class=\"index-766-projection\">\n<thead><tr><th class=\"unit\">Đơn vị</th><th>Hồ sơ tính 2.1</th>")
                .append("<th>Đang mở, đã quá hạn</th><th>Đang mở, đến hạn trong tháng</th><th>Đang mở, hạn sau tháng</th>")
                .append("<th>Điểm 2.1 nếu trễ</th><th>Điểm 2.1 nếu đúng hạn</th><th>Còn giành được</th></tr></thead>\n<tbody>\n");
        for (UnitRow u : units) {
            h.append("<tr data-unit=\"").append(ReviewHtml.escape(u.unitCode())).append("\"><td class=\"unit\"><span class=\"name\">")
                    .append(ReviewHtml.escape(u.unitName())).append("</span> <span class=\"code\">").append(ReviewHtml.escape(u.unitCode()))
                    .append("</span></td><td class=\"num\">").append(ReviewHtml.count(u.handled())).append("</td><td class=\"num\">")
                    .append(ReviewHtml.count(u.openLate())).append("</td><td class=\"num\">").append(ReviewHtml.count(u.openDueThisMonth()))
                    .append("</td><td class=\"num\">").append(ReviewHtml.count(u.openDueAfterMonth())).append("</td><td class=\"num\">")
                    .append(ReviewHtml.points(u.pointsIfLate())).append("</td><td class=\"num\">").append(ReviewHtml.points(u.pointsIfOnTime()))
                    .append("</td><td class=\"num total\">").append(ReviewHtml.points(u.pointsIfOnTime().subtract(u.pointsIfLate())))
                    .append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n<h3>Hồ sơ đang mở ảnh hưởng điểm 2.1 nhiều nhất</h3>\n");
        if (dossiers.isEmpty()) {
            h.append("<p>Không có hồ sơ đang mở nào đến hạn trong phần còn lại của tháng.</p>\n");
        } else {
            h.append("<table class=\"index-766-dossiers\">\n<thead><tr><th>Mã hồ sơ</th><th class=\"unit\">Đơn vị</th><th>Thủ tục</th>")
                    .append("<th>Hạn (tính 2.1)</th><th>Điểm 2.1 của đơn vị nếu đúng hạn</th></tr></thead>\n<tbody>\n");
            for (DossierRow d : dossiers) {
                h.append("<tr><td>").append(ReviewHtml.escape(d.dossierId())).append("</td><td class=\"unit\">")
                        .append(ReviewHtml.escape(d.unitName())).append(" <span class=\"code\">").append(ReviewHtml.escape(d.unitCode()))
                        .append("</span></td><td>").append(ReviewHtml.escape(d.procedureCode())).append("</td><td>").append(local(d.dueAt()))
                        .append("</td><td class=\"num\">+").append(ReviewHtml.points(d.ownUnitPointsAtStake())).append("</td></tr>\n");
            }
            h.append("</tbody>\n</table>\n");
        }
        h.append("</section>\n");
        return h.toString();
    }

    public static final List<String> CSV_HEADER = List.of("unit_code", "unit_name", "period", "as_of", "handled", "open_late",
            "open_due_this_month", "open_due_after_month", "points_if_late", "points_if_on_time", "max_points");

    /** review-&lt;month&gt;-766-projection.csv: one row per unit. */
    public String csv() {
        StringBuilder b = new StringBuilder(ReviewCsv.BOM).append(String.join(",", CSV_HEADER)).append("\r\n");
        for (UnitRow u : units) {
            List<String> f = List.of(u.unitCode(), u.unitName(), period.label(), asOf.toInstant().toString(), Long.toString(u.handled()),
                    Long.toString(u.openLate()), Long.toString(u.openDueThisMonth()), Long.toString(u.openDueAfterMonth()),
                    Index766Section.plain(u.pointsIfLate()), Index766Section.plain(u.pointsIfOnTime()), Index766Section.plain(u.maxPoints()));
            List<String> quoted = new ArrayList<>(f.size());
            f.forEach(s -> quoted.add(ReviewCsv.quote(s)));
            b.append(String.join(",", quoted)).append("\r\n");
        }
        return b.toString();
    }
}
