package vn.onestop.monitor.index;

/**
 * Counts of distinct procedures (TTHC) or online services (DVC) for one unit, or one parent with its whole subtree,
 * and one period. These are <em>not</em> additive: the portal counts a procedure once for a province however many
 * communes use it (in {@code tests/fixtures/formality-online-payment-tree/month-all.json} Phú Thọ has 310 fee
 * procedures while its communes alone list 30–38 each), so a view computes them with COUNT(DISTINCT …) over the
 * subtree instead of summing children.
 *
 * @param procedures                         procedures within the unit's competence (3.1 denominator)
 * @param proceduresOfferingOnline           of them, offered as partial or full online service (3.1 numerator)
 * @param onlineServices                     online services the unit applies (3.2 denominator)
 * @param onlineServicesUsed                 of them, with at least one dossier received online in the period (3.2)
 * @param feeProcedures                      procedures with a non-zero fee in the procedure catalogue (3.5 denominator)
 * @param feeProceduresPaidOnline            of them, with a dossier paid online in the period (3.5.1 numerator)
 * @param feeProceduresWithFeeData           of them, with a dossier whose fee data was synchronised in the period
 *                                           (3.5.2 numerator)
 * @param citizenProcedures                  procedures whose applicants are citizens (4.5.2 denominator)
 * @param citizenProceduresPopulationData    of them, with a dossier using VNeID or population data (4.5.2)
 */
public record ProcedureCoverage(
        long procedures,
        long proceduresOfferingOnline,
        long onlineServices,
        long onlineServicesUsed,
        long feeProcedures,
        long feeProceduresPaidOnline,
        long feeProceduresWithFeeData,
        long citizenProcedures,
        long citizenProceduresPopulationData) {

    public ProcedureCoverage {
        if (proceduresOfferingOnline > procedures || onlineServicesUsed > onlineServices
                || feeProceduresPaidOnline > feeProcedures || feeProceduresWithFeeData > feeProcedures
                || citizenProceduresPopulationData > citizenProcedures) {
            throw new IllegalArgumentException("a part exceeds its whole: " + this);
        }
        if (procedures < 0 || proceduresOfferingOnline < 0 || onlineServices < 0 || onlineServicesUsed < 0
                || feeProcedures < 0 || feeProceduresPaidOnline < 0 || feeProceduresWithFeeData < 0
                || citizenProcedures < 0 || citizenProceduresPopulationData < 0) {
            throw new IllegalArgumentException("negative count: " + this);
        }
    }
}
