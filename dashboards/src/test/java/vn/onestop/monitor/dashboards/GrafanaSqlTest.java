package vn.onestop.monitor.dashboards;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The expansions of Grafana's PostgreSQL data source (macros.go, SqlDatasource.interpolateVariable), one by one. */
class GrafanaSqlTest {
    static final GrafanaSql.TimeRange R = new GrafanaSql.TimeRange(
            Instant.parse("2017-04-21T05:01:17Z"), Instant.parse("2017-04-21T05:06:17Z"));

    @Test
    void timeMacrosExpandAsTheDataSourceDoes() {
        assertThat(GrafanaSql.expandMacros("WHERE $__timeFilter(d.hour)", R))
                .isEqualTo("WHERE d.hour BETWEEN '2017-04-21T05:01:17Z' AND '2017-04-21T05:06:17Z'");
        assertThat(GrafanaSql.expandMacros("$__timeFrom() .. $__timeTo()", R))
                .isEqualTo("'2017-04-21T05:01:17Z' .. '2017-04-21T05:06:17Z'");
        assertThat(GrafanaSql.expandMacros("SELECT $__timeGroup(hour,'5m') AS t", R))
                .isEqualTo("SELECT floor(extract(epoch from hour)/300)*300 AS t");
        assertThat(GrafanaSql.expandMacros("SELECT $__timeGroupAlias(hour,'1h'), x", R))
                .isEqualTo("SELECT floor(extract(epoch from hour)/3600)*3600 AS \"time\", x");
        // The pre-5.3 form: $__timeGroup directly followed by ',' adds the alias.
        assertThat(GrafanaSql.expandMacros("SELECT $__timeGroup(hour,'1h'), x", R))
                .isEqualTo("SELECT floor(extract(epoch from hour)/3600)*3600 AS \"time\", x");
        assertThat(GrafanaSql.expandMacros("$__timeGroup(hour, '1h', 0) AS \"time\"", R))
                .isEqualTo("floor(extract(epoch from hour)/3600)*3600 AS \"time\"");
        assertThat(GrafanaSql.expandMacros("WHERE $__unixEpochFilter(t)", R))
                .isEqualTo("WHERE t >= 1492750877 AND t <= 1492751177");
        assertThat(GrafanaSql.expandMacros("$__unixEpochGroupAlias(t,'1h')", R))
                .isEqualTo("floor((t)/3600)*3600 AS \"time\"");
        assertThat(GrafanaSql.globalSubstitutions("$__unixEpochFrom() $__unixEpochTo()", R)).isEqualTo("1492750877 1492751177");
    }

    @Test
    void anUnknownMacroOrAnArgumentWithAParenthesisIsAnError() {
        assertThatThrownBy(() -> GrafanaSql.expandMacros("$__timeFiltr(x)", R)).hasMessageContaining("unknown macro");
        // Grafana's regex stops at the first ')': the second argument is dropped and the SQL changes meaning,
        // which is why no panel passes an expression with parentheses to a macro.
        assertThat(GrafanaSql.expandMacros("$__timeFilter(coalesce(a, b))", R))
                .isEqualTo("coalesce(a BETWEEN '2017-04-21T05:01:17Z' AND '2017-04-21T05:06:17Z')");
    }

    @Test
    void variablesExpandSingleAndMultiValued() {
        Map<String, GrafanaSql.Selection> vars = Map.of(
                "unit", GrafanaSql.Selection.multi(List.of("11239", "11254")),
                "parent", GrafanaSql.Selection.single("300"),
                "name", GrafanaSql.Selection.single("O'Brien"));
        assertThat(GrafanaSql.interpolateVariables("IN ($unit)", vars)).isEqualTo("IN ('11239','11254')");
        assertThat(GrafanaSql.interpolateVariables("IN (${unit})", vars)).isEqualTo("IN ('11239','11254')");
        assertThat(GrafanaSql.interpolateVariables("IN (${unit:sqlstring})", vars)).isEqualTo("IN ('11239','11254')");
        assertThat(GrafanaSql.interpolateVariables("IN (${unit:csv})", vars)).isEqualTo("IN (11239,11254)");
        assertThat(GrafanaSql.interpolateVariables("IN ([[unit]])", vars)).isEqualTo("IN ('11239','11254')");
        // A single-value variable is inserted raw (the SQL supplies the quotes), quotes doubled.
        assertThat(GrafanaSql.interpolateVariables("= '$parent'", vars)).isEqualTo("= '300'");
        assertThat(GrafanaSql.interpolateVariables("= '$name'", vars)).isEqualTo("= 'O''Brien'");
        // A one-element selection of a multi variable is still a quoted list.
        assertThat(GrafanaSql.interpolateVariables("IN ($unit)", Map.of("unit", GrafanaSql.Selection.multi(List.of("11239")))))
                .isEqualTo("IN ('11239')");
        // Macros are not variables: left for the backend.
        assertThat(GrafanaSql.interpolateVariables("$__timeFilter(x) AND u IN ($unit)", vars))
                .isEqualTo("$__timeFilter(x) AND u IN ('11239','11254')");
    }
}
