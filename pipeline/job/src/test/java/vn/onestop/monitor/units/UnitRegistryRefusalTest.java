package vn.onestop.monitor.units;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** One refused reference file per rule; each names the file and the line to fix. */
class UnitRegistryRefusalTest {
    private static final String UNITS_HEADER = "code,name,level,parent_code,valid_from,valid_to\n";
    private static final String SUCCESSION_HEADER = "predecessor_code,successor_code,effective_from,share\n";

    /** A province, a district abolished on 2025-07-01 and two communes merged into one that reuses A's code. */
    private static final String UNITS = UNITS_HEADER
            + "P,Tỉnh P,PROVINCE,,,\n"                          // line 2
            + "D,Huyện D,DISTRICT,P,,2025-06-30\n"               // line 3
            + "A,Xã A,COMMUNE,D,,2025-06-30\n"                   // line 4
            + "B,Xã B,COMMUNE,D,,2025-06-30\n"                   // line 5
            + "A,Xã A mới,COMMUNE,P,2025-07-01,\n";              // line 6
    private static final String SUCCESSION = SUCCESSION_HEADER
            + "A,A,2025-07-01,1\n"                               // line 2
            + "B,A,2025-07-01,1\n";                              // line 3

    @Test
    void theBaseFilesLoad() throws IOException {
        UnitRegistry registry = read(UNITS, SUCCESSION);
        assertThat(registry.unitsValidBetween(java.time.LocalDate.parse("2025-06-30"), java.time.LocalDate.parse("2025-07-01"))).hasSize(5);
    }

    @Test
    void overlappingIntervalsOfOneCode() {
        // A's new version starts on 2025-06-30, the last day of its old one.
        ReferenceDataError e = refused(UNITS.replace("A,Xã A mới,COMMUNE,P,2025-07-01,", "A,Xã A mới,COMMUNE,P,2025-06-30,"), SUCCESSION);
        assertRefused(e, "units.csv", 6, "overlaps its version on line 4");
    }

    @Test
    void parentNotValidOnAllTheChildsDays() {
        // The new A still names district D, which is abolished the day before A's new version starts.
        ReferenceDataError e = refused(UNITS.replace("A,Xã A mới,COMMUNE,P,2025-07-01,", "A,Xã A mới,COMMUNE,D,2025-07-01,2025-12-31"), SUCCESSION);
        assertRefused(e, "units.csv", 6, "parent D is not valid on 2025-07-01");
    }

    @Test
    void parentEndingInsideTheChildsInterval() {
        // An open-ended commune under a district that ends: its days after 2025-06-30 have no parent.
        ReferenceDataError e = refused(UNITS.replace("B,Xã B,COMMUNE,D,,2025-06-30", "B,Xã B,COMMUNE,D,,"), SUCCESSION_HEADER + "A,A,2025-07-01,1\n");
        assertRefused(e, "units.csv", 5, "parent D is not valid after 2025-06-30");
    }

    @Test
    void unknownParent() {
        ReferenceDataError e = refused(UNITS.replace("B,Xã B,COMMUNE,D,", "B,Xã B,COMMUNE,X,"), SUCCESSION);
        assertRefused(e, "units.csv", 5, "parent_code X of B is not a code in this file");
    }

    @Test
    void unknownCodeInSuccession() {
        ReferenceDataError e = refused(UNITS, SUCCESSION + "Q,A,2025-07-01,1\n");
        assertRefused(e, "unit_succession.csv", 4, "unit Q is not in the units file");
    }

    @Test
    void predecessorNotValidTheDayBefore() {
        // Written a day late: B ends on 2025-06-30, so on 2025-07-01, the day before 2025-07-02, no version of B exists.
        ReferenceDataError e = refused(UNITS, SUCCESSION_HEADER + "A,A,2025-07-01,1\nB,A,2025-07-02,1\n");
        assertRefused(e, "unit_succession.csv", 3, "predecessor B is not valid on 2025-07-01");
    }

    @Test
    void successorNotValidOnTheEffectiveDay() {
        ReferenceDataError e = refused(UNITS, SUCCESSION_HEADER + "A,A,2025-07-01,1\nB,D,2025-07-01,1\n");
        assertRefused(e, "unit_succession.csv", 3, "successor D is not valid on 2025-07-01");
    }

    @Test
    void aCessionTakenBackLaterIsNoCycle() throws IOException {
        // A cedes a tenth of itself to the new C in 2025; C is merged back into A in 2026. The chain moves forward in time.
        String units = UNITS_HEADER + "P,Tỉnh P,PROVINCE,,,\nA,Xã A,COMMUNE,P,,\nC,Xã C,COMMUNE,P,2025-07-01,2025-12-31\n";
        String succession = SUCCESSION_HEADER + "A,A,2025-07-01,0.9\nA,C,2025-07-01,0.1\nC,A,2026-01-01,1\n";
        assertThat(read(units, succession).restate("A", java.time.LocalDate.parse("2025-01-01"), java.time.LocalDate.parse("2026-02-01")))
                .containsExactly(java.util.Map.entry("A", 1.0));
    }

    @Test
    void sharesNotSummingToOne() {
        // B gives 0.7 to A and nothing else: 0.3 of its history would vanish.
        ReferenceDataError e = refused(UNITS, SUCCESSION_HEADER + "A,A,2025-07-01,1\nB,A,2025-07-01,0.7\n");
        assertRefused(e, "unit_succession.csv", 3, "the shares of predecessor B from 2025-07-01 sum to 0.7, not 1 (lines [3])");
    }

    @Test
    void sharesSummingToMoreThanOneAcrossLines() {
        // Two successors each said to take 0.6 of A: 1.2 of the history would be counted.
        String units = UNITS + "C,Xã C,COMMUNE,P,2025-07-01,\n";
        ReferenceDataError e = refused(units, SUCCESSION_HEADER + "A,A,2025-07-01,0.6\nB,A,2025-07-01,1\nA,C,2025-07-01,0.6\n");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.getMessage()).contains("unit_succession.csv line 2").contains("sum to 1.2").contains("lines [2, 4]");
    }

    @Test
    void sharesWithinTheToleranceAreOne() throws IOException {
        // A third each, written with twelve decimals, sums to 0.999999999999: rounding, not lost history.
        String units = UNITS + "C,Xã C,COMMUNE,P,2025-07-01,\nE,Xã E,COMMUNE,P,2025-07-01,\n";
        String succession = SUCCESSION_HEADER + "A,A,2025-07-01,0.333333333333\nA,C,2025-07-01,0.333333333333\n"
                + "A,E,2025-07-01,0.333333333333\nB,A,2025-07-01,1\n";
        assertThat(read(units, succession).successionsOf("A", java.time.LocalDate.parse("2025-06-30"))).hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0.5", "1.5"})
    void shareOutOfRange(String share) {
        ReferenceDataError e = refused(UNITS, SUCCESSION_HEADER + "A,A,2025-07-01,1\nB,A,2025-07-01," + share + "\n");
        assertRefused(e, "unit_succession.csv", 3, "share " + share + " is out of range");
    }

    @Test
    void shareNotANumber() {
        ReferenceDataError e = refused(UNITS, SUCCESSION_HEADER + "A,A,2025-07-01,1\nB,A,2025-07-01,một\n");
        assertRefused(e, "unit_succession.csv", 3, "share 'một' is not a number");
    }

    @Test
    void cycleInParents() {
        // Two provinces each naming the other as parent: a roll-up would never end.
        String units = UNITS_HEADER + "P,Tỉnh P,PROVINCE,Q,,\nQ,Tỉnh Q,PROVINCE,P,,\n";
        ReferenceDataError e = refused(units, SUCCESSION_HEADER);
        assertThat(e.file()).isEqualTo("units.csv");
        assertThat(e.line()).isIn(2, 3);
        assertThat(e.getMessage()).contains("a cycle in parents");
    }

    @Test
    void cycleInSuccession() {
        // A and B both continue and each hands part of its history to the other on the same day.
        String units = UNITS_HEADER + "P,Tỉnh P,PROVINCE,,,\nA,Xã A,COMMUNE,P,,\nB,Xã B,COMMUNE,P,,\n";
        String succession = SUCCESSION_HEADER + "A,A,2025-07-01,0.9\nA,B,2025-07-01,0.1\nB,B,2025-07-01,0.8\nB,A,2025-07-01,0.2\n";
        ReferenceDataError e = refused(units, succession);
        assertThat(e.file()).isEqualTo("unit_succession.csv");
        assertThat(e.line()).isIn(3, 5);
        assertThat(e.getMessage()).contains("a cycle in succession");
    }

    @Test
    void badDateInUnits() {
        ReferenceDataError e = refused(UNITS.replace("2025-07-01,\n", "2025-13-01,\n"), SUCCESSION);
        assertRefused(e, "units.csv", 6, "valid_from '2025-13-01' is not a date (YYYY-MM-DD)");
    }

    @Test
    void intervalEndingBeforeItStarts() {
        ReferenceDataError e = refused(UNITS.replace("A,Xã A mới,COMMUNE,P,2025-07-01,", "A,Xã A mới,COMMUNE,P,2025-07-01,2025-06-01"), SUCCESSION);
        assertRefused(e, "units.csv", 6, "valid_to 2025-06-01 is before valid_from 2025-07-01");
    }

    @Test
    void badDateInSuccession() {
        ReferenceDataError e = refused(UNITS, SUCCESSION_HEADER + "A,A,01/07/2025,1\n");
        assertRefused(e, "unit_succession.csv", 2, "effective_from '01/07/2025' is not a date (YYYY-MM-DD)");
    }

    @Test
    void missingEffectiveDate() {
        ReferenceDataError e = refused(UNITS, SUCCESSION_HEADER + "A,A,,1\n");
        assertRefused(e, "unit_succession.csv", 2, "effective_from is empty");
    }

    @Test
    void unknownLevel() {
        ReferenceDataError e = refused(UNITS.replace("B,Xã B,COMMUNE", "B,Xã B,WARD"), SUCCESSION);
        assertRefused(e, "units.csv", 5, "level must be PROVINCE, DISTRICT or COMMUNE, not 'WARD'");
    }

    @Test
    void duplicateSuccession() {
        ReferenceDataError e = refused(UNITS, SUCCESSION + "B,A,2025-07-01,1\n");
        assertRefused(e, "unit_succession.csv", 4, "is already on line 3");
    }

    @Test
    void wrongHeader() {
        ReferenceDataError e = refused(UNITS, "predecessor,successor,effective_from,share\n");
        assertRefused(e, "unit_succession.csv", 1, "header must be 'predecessor_code,successor_code,effective_from,share'");
    }

    @Test
    void missingField() {
        ReferenceDataError e = refused(UNITS.replace("B,Xã B,COMMUNE,D,,2025-06-30", "B,Xã B,COMMUNE,D,"), SUCCESSION);
        assertRefused(e, "units.csv", 5, "expected 6 fields, found 5");
    }

    @Test
    void blankLinesCountInTheLineNumber() {
        // The maintainer opens the file in an editor: the line named has to be the editor's line, blank lines included.
        String units = UNITS_HEADER + "\nP,Tỉnh P,PROVINCE,,,\n\n\nA,Xã A,COMMUNE,P,2025-13-01,\n";
        ReferenceDataError e = refused(units, SUCCESSION_HEADER);
        assertRefused(e, "units.csv", 6, "valid_from '2025-13-01' is not a date");
    }

    @Test
    void aRefusedRegistryIsNotBuiltAtAll() {
        // read either returns a whole registry or throws; there is no registry holding the lines before the error.
        assertThatThrownBy(() -> read(UNITS + "A,Xã A lặp,COMMUNE,P,2025-07-01,\n", SUCCESSION))
                .isInstanceOf(ReferenceDataError.class)
                .hasMessageStartingWith("units.csv line 7: code A is valid 2025-07-01 … open");
    }

    private static void assertRefused(ReferenceDataError e, String file, int line, String problem) {
        assertThat(e.file()).isEqualTo(file);
        assertThat(e.line()).isEqualTo(line);
        assertThat(e.getMessage()).startsWith(file + " line " + line + ": ").contains(problem);
    }

    private static ReferenceDataError refused(String units, String succession) {
        ReferenceDataError e = catchThrowableOfType(ReferenceDataError.class, () -> read(units, succession));
        assertThat(e).as("the files should have been refused").isNotNull();
        return e;
    }

    static UnitRegistry read(String units, String succession) throws IOException {
        return UnitRegistry.read("units.csv", new ByteArrayInputStream(units.getBytes(StandardCharsets.UTF_8)),
                "unit_succession.csv", new ByteArrayInputStream(succession.getBytes(StandardCharsets.UTF_8)));
    }
}
