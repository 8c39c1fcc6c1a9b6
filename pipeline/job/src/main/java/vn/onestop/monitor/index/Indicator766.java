package vn.onestop.monitor.index;

import java.math.BigDecimal;

/**
 * Every indicator of the 100-point index with its maximum points and whether this package can compute it.
 *
 * <p>Maximum points: {@code docs/metrics.m0.json} (the METRICS sheet of "Công thức 766.xlsx") in ChippedTopaz/qd766,
 * which sums to 100. Where that sheet gives a group total but no split (group 3: 12 points for online services), the
 * split 2 / 4 / 6 reproduces the Phú Thọ province scores 8.83, 8.41 and 8.56 / 12 of the month, quarter and year
 * parent rows in {@code tests/fixtures/provide-online-tree/} (the source repository's profile {@code qd766-online-v1}),
 * but the source repository has since withdrawn that profile pending confirmation of the split and of the parameter
 * mapping ({@code web/dist/online-scoring.js}), so 3.1 and 3.2 are provisional. Ids follow the formula document
 * ({@code web/dist/formula-document.js}); 4.5 there holds two ratios (4.5.1 dossiers, 4.5.2 procedures), 3.5 is
 * split in two by the fitted payment formula, and the electronic certified copy ratio (METRICS row 13) has no id in
 * the formula document, so we call it 4.6.
 */
public enum Indicator766 {
    PUBLISHED_ON_TIME("1.1", "Tỷ lệ TTHC công bố đúng hạn", 6, Computability.OUT_OF_REACH),
    PUBLICISED_ON_TIME("1.2", "Tỷ lệ TTHC cập nhật, công khai đúng hạn", 4, Computability.OUT_OF_REACH),
    PUBLICISED_IN_FULL("1.3", "Tỷ lệ TTHC công khai đầy đủ nội dung", 2, Computability.OUT_OF_REACH),
    PORTAL_SYNC("1.4", "Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG", 6, Computability.FROM_COUNTS),
    PROGRESS("2.1", "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn", 20, Computability.FROM_COUNTS),
    PROCEDURES_ONLINE("3.1", "Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến", 2, Computability.FROM_CATALOGUE),
    ONLINE_SERVICES_USED("3.2", "Tỷ lệ dịch vụ công trực tuyến có phát sinh hồ sơ", 4, Computability.FROM_CATALOGUE),
    ONLINE_SHARE("3.3", "Tỷ lệ hồ sơ nộp trực tuyến", 6, Computability.FROM_COUNTS),
    FEE_PROCEDURES_PAID_ONLINE("3.5.1", "Tỷ lệ TTHC có phí có hồ sơ thanh toán trực tuyến", 2,
            Computability.FROM_CATALOGUE),
    FEE_PROCEDURES_WITH_FEE_DATA("3.5.2", "Tỷ lệ TTHC có phí có hồ sơ đồng bộ dữ liệu phí, lệ phí", 2,
            Computability.FROM_CATALOGUE),
    DOSSIERS_PAID_ONLINE("3.6", "Tỷ lệ hồ sơ thanh toán trực tuyến", 6, Computability.FROM_COUNTS),
    ELECTRONIC_RESULT("4.1", "Tỷ lệ hồ sơ có kết quả giải quyết điện tử", 6, Computability.FROM_COUNTS),
    DIGITISED_DOSSIER("4.2", "Tỷ lệ hồ sơ thực hiện số hoá hồ sơ", 4, Computability.FROM_COUNTS),
    REUSED_DATA("4.3", "Tỷ lệ hồ sơ khai thác, sử dụng lại dữ liệu số hoá", 2, Computability.FROM_COUNTS),
    PERSONAL_DATA_STORE("4.4", "Tỷ lệ hồ sơ số hoá kết nối kho dữ liệu cá nhân", 4, Computability.FROM_COUNTS),
    POPULATION_DATA_DOSSIERS("4.5.1", "Tỷ lệ hồ sơ sử dụng dữ liệu dân cư (VNeID)", 2, Computability.FROM_COUNTS),
    POPULATION_DATA_PROCEDURES("4.5.2", "Tỷ lệ TTHC kết nối, chia sẻ dữ liệu dân cư", 2,
            Computability.FROM_CATALOGUE),
    ELECTRONIC_CERTIFIED_COPY("4.6", "Tỷ lệ cung cấp chứng thực bản sao điện tử", 2, Computability.OUT_OF_REACH),
    PETITIONS_ON_TIME("5.2", "Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn", 6, Computability.OUT_OF_REACH),
    PETITIONS_SATISFACTION("5.3", "Tỷ lệ hài lòng trong xử lý phản ánh, kiến nghị", 6, Computability.OUT_OF_REACH),
    SATISFACTION("5.4", "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC", 6, Computability.FROM_COUNTS);

    private final String id;
    private final String vietnamese;
    private final BigDecimal maxPoints;
    private final Computability computability;

    Indicator766(String id, String vietnamese, int maxPoints, Computability computability) {
        this.id = id;
        this.vietnamese = vietnamese;
        this.maxPoints = BigDecimal.valueOf(maxPoints).setScale(2);
        this.computability = computability;
    }

    /** The id of the national formula document, e.g. {@code 2.1}; the {@code indicator} column of the views. */
    public String id() {
        return id;
    }

    public String vietnamese() {
        return vietnamese;
    }

    public BigDecimal maxPoints() {
        return maxPoints;
    }

    public Computability computability() {
        return computability;
    }

    public static Indicator766 ofId(String id) {
        for (Indicator766 i : values()) {
            if (i.id.equals(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown indicator " + id);
    }

    /** What an indicator needs beyond our event streams. */
    public enum Computability {
        /** From {@link UnitPeriodCounts} alone: additive dossier counts. */
        FROM_COUNTS,
        /** Also needs {@link ProcedureCoverage}: distinct procedures or services, from the procedure catalogue. */
        FROM_CATALOGUE,
        /** Needs data the monitor does not see (catalogue publication decisions, petitions, certification). */
        OUT_OF_REACH
    }
}
