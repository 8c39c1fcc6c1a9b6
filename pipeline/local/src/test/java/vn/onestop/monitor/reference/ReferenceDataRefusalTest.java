package vn.onestop.monitor.reference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.onestop.monitor.MonitorConfig;
import vn.onestop.monitor.local.LocalStack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A refused reference file leaves the database exactly as it was (docs/UNITS.md, "Validation: refused as a whole"):
 * ReferenceData.load on the real PostgreSQL of the local stack, with every reference table compared row by row
 * before and after. The registry is checked before anything is written; a file that fails later (procedures, read
 * inside the transaction after the units were replaced) must roll the units back too.
 */
class ReferenceDataRefusalTest {
    static final List<String> TABLES = List.of("unit", "unit_version", "unit_succession", "procedure", "sla_target",
            "office_hours", "calendar_day");
    static final String UNITS_HEADER = "code,name,level,parent_code,valid_from,valid_to\n";
    static final String SUCCESSION_HEADER = "predecessor_code,successor_code,effective_from,share\n";

    @TempDir
    static Path dir;
    static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start(MonitorConfig.from(new String[] {"--data-dir=" + dir.resolve("data")}, Map.of()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    /** A small registry that is valid on its own: a province, a commune merged into a new one on 2025-07-01. */
    static Path units(String extraRows) throws Exception {
        Path f = Files.createTempFile(dir, "units", ".csv");
        Files.writeString(f, UNITS_HEADER
                + "P,Tỉnh Thử,PROVINCE,,,\n"
                + "A,Xã A,COMMUNE,P,,2025-06-30\n"
                + "B,Xã B,COMMUNE,P,,2025-06-30\n"
                + "C,Xã C,COMMUNE,P,2025-07-01,\n"
                + extraRows);
        return f;
    }

    static Path succession(String rows) throws Exception {
        Path f = Files.createTempFile(dir, "succession", ".csv");
        Files.writeString(f, SUCCESSION_HEADER + rows);
        return f;
    }

    @Test
    void aRefusedUnitsSuccessionOrLaterFileLeavesEveryReferenceTableAsItWas() throws Exception {
        String before = snapshot();
        assertThat(before).contains("unit_version|11239|Xã Thanh Miện").contains("unit_succession|11278|11239");

        // The succession's shares of A sum to 0.7: refused by the registry check, before any write.
        assertThatThrownBy(() -> ReferenceData.load(stack.admin(), units(""), succession("A,C,2025-07-01,0.7\nB,C,2025-07-01,1\n"),
                null, null, null, null))
                .isInstanceOf(vn.onestop.monitor.units.ReferenceDataError.class)
                .hasMessageContaining("succession").hasMessageContaining("sum to 0.7");
        assertThat(snapshot()).isEqualTo(before);

        // An overlap on the last line of the units file.
        assertThatThrownBy(() -> ReferenceData.load(stack.admin(), units("A,Xã A mới,COMMUNE,P,2025-06-01,\n"),
                succession(""), null, null, null, null))
                .hasMessageContaining("line 6").hasMessageContaining("overlaps");
        assertThat(snapshot()).isEqualTo(before);

        // A valid registry with a procedures file that fails after the units were replaced inside the transaction.
        Path procedures = dir.resolve("procedures.csv");
        Files.writeString(procedures, "code,name\n9.999,Thủ tục thử\n");
        assertThatThrownBy(() -> ReferenceData.load(stack.admin(), units(""),
                succession("A,C,2025-07-01,1\nB,C,2025-07-01,1\n"), procedures, null, null, null))
                .hasMessageContaining(procedures.toString());
        assertThat(snapshot()).isEqualTo(before);

        // The comparison can see a change: the same registry without the bad procedures file is loaded.
        ReferenceData.load(stack.admin(), units(""), succession("A,C,2025-07-01,1\nB,C,2025-07-01,1\n"), null, null, null, null);
        try {
            assertThat(snapshot()).isNotEqualTo(before).contains("unit_version|C|Xã C").doesNotContain("11239");
        } finally {
            ReferenceData.load(stack.admin(), null, null, null, null, null, null);
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    /** Every row of every reference table, sorted, one line each: "table|col1|col2|…". */
    private static String snapshot() throws Exception {
        List<String> lines = new ArrayList<>();
        try (Connection c = stack.admin().connect()) {
            for (String t : TABLES) {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT * FROM " + t)) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder b = new StringBuilder(t);
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            b.append('|').append(rs.getString(i));
                        }
                        lines.add(b.toString());
                    }
                }
            }
        }
        lines.sort(null);
        return String.join("\n", lines);
    }
}
