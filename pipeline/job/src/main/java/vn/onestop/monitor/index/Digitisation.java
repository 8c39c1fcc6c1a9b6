package vn.onestop.monitor.index;

import java.math.BigDecimal;

/**
 * Group 4, digitisation of dossiers. Denominator: the handled dossiers of 2.1, because that is what the portal
 * publishes — in {@code tests/fixtures/dossier-digitized/month-all.json} (ChippedTopaz/qd766) every dossier ratio of
 * Phú Thọ has the denominator 184 513, 2.1's totalReceived — although the formula document names narrower or other
 * denominators (docs/INDEX766.md, "Where the sources disagree"). Curves: those fitted in {@code
 * docs/SCORING_ANALYSIS_M0.md} "Số hóa hồ sơ" (linear except 4.3).
 */
public final class Digitisation {
    static final BigDecimal REUSE_FULL_AT = new BigDecimal("0.8");

    private Digitisation() {
    }

    /**
     * 4.1 ORIGINAL_RESULT_AVAILABLE (6): handled dossiers with an electronic result / handled, linear. Formula
     * document record 4.1 (numerator: result file attached and the procedure requires a written result).
     */
    public static IndicatorScore electronicResult(UnitPeriodCounts c) {
        return Points.linear(Indicator766.ELECTRONIC_RESULT, c.handledElectronicResult(), c.handled());
    }

    /**
     * 4.2 SO_HOA_GIAY_TO_GIAI_QUYET (4): handled dossiers digitised at intake (and with an electronic result where
     * one is required) / handled, <b>linear</b>: the portal gives Sở Giáo dục H44.08 3.20 points for 80.06%, where
     * the formula document's "full from 80%" would give 4.
     */
    public static IndicatorScore digitisedDossier(UnitPeriodCounts c) {
        return Points.linear(Indicator766.DIGITISED_DOSSIER, c.handledDigitised(), c.handled());
    }

    /**
     * 4.3 REUSED_DIGITIZED_DATA (2): handled dossiers reusing digitised data / handled, full from 80% — the only
     * digitisation curve with a threshold in the fit, and the formula document's 4.3 note says the same.
     */
    public static IndicatorScore reusedData(UnitPeriodCounts c) {
        return Points.fullAt(Indicator766.REUSED_DATA, REUSE_FULL_AT, c.handledReusingData(), c.handled());
    }

    /**
     * 4.4 SYNCED_WITH_DVCQG_PERSONAL_STORAGE (4): handled dossiers with a component from, or a result filed to, the
     * personal data store / handled, linear. Formula document record 4.4 (DuocLayTuKhoDMQG = 1). The slope is
     * unverified: every M0 row has ratio 0.
     */
    public static IndicatorScore personalDataStore(UnitPeriodCounts c) {
        return Points.linear(Indicator766.PERSONAL_DATA_STORE, c.handledFromPersonalStore(), c.handled());
    }

    /**
     * 4.5.1 CITIZEN_DATA_CONNECTED_DOSSIER (2): handled dossiers using VNeID or population data / handled, linear.
     * Formula document record 4.5, second ratio (TaiKhoanDuocXacThucVoiVNeID = 1, or data from the population DB).
     */
    public static IndicatorScore populationDataDossiers(UnitPeriodCounts c) {
        return Points.linear(Indicator766.POPULATION_DATA_DOSSIERS, c.handledPopulationData(), c.handled());
    }

    /**
     * 4.5.2 CITIZEN_DATA_CONNECTED_FORMALITY (2): citizen procedures with a dossier using VNeID or population data /
     * citizen procedures, linear. Formula document record 4.5, first ratio.
     */
    public static IndicatorScore populationDataProcedures(ProcedureCoverage p) {
        return Points.linear(Indicator766.POPULATION_DATA_PROCEDURES,
                p.citizenProceduresPopulationData(), p.citizenProcedures());
    }
}
