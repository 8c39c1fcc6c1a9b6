package vn.onestop.monitor.index;

/**
 * The dossier counts of one unit and one period that the count-based indicators need. Every field counts dossiers,
 * so a parent unit's counts are the sum of its descendants' (the portal's parent rows are such sums: see
 * docs/INDEX766.md). Periods are different: the <em>handled</em> population includes dossiers still open at the
 * period's end, so a quarter's counts are computed for the quarter, not summed from its months.
 *
 * <p>Two dossier populations, both named as the portal names them:
 * <ul>
 *   <li><b>handled</b> — "hồ sơ được tiếp nhận, xử lý trong kỳ": dossiers whose processing ended in the period (by
 *   the national end of processing, {@link ProgressJudgement}) plus those still open at its end. The denominator of
 *   2.1, 5.4 and, as the portal publishes them, 4.1–4.5 (docs/INDEX766.md explains why not the formula document's
 *   denominators).</li>
 *   <li><b>received</b> — dossiers whose receipt date is in the period: the denominator of 1.4 and 3.3.</li>
 * </ul>
 *
 * @param handled                      dossiers received and processed in the period (2.1 denominator)
 * @param handledInTime                of them, ended on or before the due time, or still within it (2.1 numerator)
 * @param handledInTimeDissatisfied    of the in-time ones, those with a negative rating or a complaint (5.4)
 * @param handledElectronicResult      of the handled, those of a procedure with a written result that carry an
 *                                     electronic result (result code and file) (4.1 numerator)
 * @param handledDigitised             of the handled, those with a digitised component at intake and, for a
 *                                     procedure with a written result, an electronic result (4.2 numerator)
 * @param handledReusingData           of the handled, those with a component taken from already digitised data (4.3)
 * @param handledFromPersonalStore     of the handled, those with a component taken from the personal data store on
 *                                     the national portal, or whose electronic result was filed there (4.4)
 * @param handledPopulationData        of the handled, those submitted through a VNeID-authenticated account or
 *                                     with data from the population database (4.5.1)
 * @param received                     dossiers received in the period (1.4 and 3.3 denominator)
 * @param receivedSynced               of them, synchronised to the national portal (1.4 numerator)
 * @param receivedOnline               of them, submitted online and — for a procedure with a written result —
 *                                     given an electronic result (3.3 numerator)
 * @param feeDossiers                  dossiers that started processing in the period, of procedures with a fee,
 *                                     less those whose every fee line is zero (3.6 denominator)
 * @param feeDossiersPaidOnline        of them, paid online through the national portal or a local payment gateway
 *                                     (3.6 numerator; cash does not count)
 */
public record UnitPeriodCounts(
        long handled,
        long handledInTime,
        long handledInTimeDissatisfied,
        long handledElectronicResult,
        long handledDigitised,
        long handledReusingData,
        long handledFromPersonalStore,
        long handledPopulationData,
        long received,
        long receivedSynced,
        long receivedOnline,
        long feeDossiers,
        long feeDossiersPaidOnline) {

    public static final UnitPeriodCounts NONE = new UnitPeriodCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public UnitPeriodCounts {
        long[] all = {handled, handledInTime, handledInTimeDissatisfied, handledElectronicResult, handledDigitised,
                handledReusingData, handledFromPersonalStore, handledPopulationData, received, receivedSynced,
                receivedOnline, feeDossiers, feeDossiersPaidOnline};
        for (long n : all) {
            if (n < 0) {
                throw new IllegalArgumentException("negative count in " + java.util.Arrays.toString(all));
            }
        }
        // Each part must fit in its whole: a count bigger than its denominator is a feeding bug, not a ratio > 100%.
        requirePart(handledInTime, handled, "handledInTime");
        requirePart(handledInTimeDissatisfied, handledInTime, "handledInTimeDissatisfied");
        requirePart(handledElectronicResult, handled, "handledElectronicResult");
        requirePart(handledDigitised, handled, "handledDigitised");
        requirePart(handledReusingData, handled, "handledReusingData");
        requirePart(handledFromPersonalStore, handled, "handledFromPersonalStore");
        requirePart(handledPopulationData, handled, "handledPopulationData");
        requirePart(receivedSynced, received, "receivedSynced");
        requirePart(receivedOnline, received, "receivedOnline");
        requirePart(feeDossiersPaidOnline, feeDossiers, "feeDossiersPaidOnline");
    }

    private static void requirePart(long part, long whole, String name) {
        if (part > whole) {
            throw new IllegalArgumentException(name + " " + part + " exceeds its whole " + whole);
        }
    }

    /** A parent's counts: the field-by-field sum of its descendants'. */
    public UnitPeriodCounts plus(UnitPeriodCounts o) {
        return new UnitPeriodCounts(
                handled + o.handled,
                handledInTime + o.handledInTime,
                handledInTimeDissatisfied + o.handledInTimeDissatisfied,
                handledElectronicResult + o.handledElectronicResult,
                handledDigitised + o.handledDigitised,
                handledReusingData + o.handledReusingData,
                handledFromPersonalStore + o.handledFromPersonalStore,
                handledPopulationData + o.handledPopulationData,
                received + o.received,
                receivedSynced + o.receivedSynced,
                receivedOnline + o.receivedOnline,
                feeDossiers + o.feeDossiers,
                feeDossiersPaidOnline + o.feeDossiersPaidOnline);
    }
}
