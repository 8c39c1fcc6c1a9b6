package vn.onestop.monitor.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provisioning files as Grafana loads them, checked without a database: they parse, identifiers are unique,
 * every query goes through the one provisioned data source, no credential is written down, the alerting pieces
 * reference each other, and no SQL averages a ratio.
 */
class ProvisioningFilesTest {
    static final Set<String> DASHBOARDS = Set.of("onestop-tong-quan", "onestop-don-vi", "onestop-canh-bao", "onestop-kiem-diem");

    @Test
    void everyFileParsesAndTheLayoutIsTheOneTheComposeStackMounts() throws IOException {
        List<Path> all = Provisioning.allFiles();
        assertThat(all).as("provisioning files").isNotEmpty();
        for (Path p : all) {
            String name = p.getFileName().toString();
            assertThat(name).as("only JSON and YAML under provisioning/").matches(".*\\.(json|yaml)");
            JsonNode n = name.endsWith(".json") ? Provisioning.json(p) : Provisioning.yaml(p);
            assertThat(n.isObject()).as(p + " is an object").isTrue();
            if (name.endsWith(".yaml")) {
                assertThat(n.path("apiVersion").asInt()).as(p + " apiVersion").isEqualTo(1);
            }
        }
        // Grafana reads provisioning/{datasources,dashboards,alerting}/*.yaml; the dashboard provider points at the
        // mounted copy of provisioning/dashboards/onestop.
        JsonNode provider = Provisioning.yaml(Provisioning.ROOT.resolve("dashboards/provider.yaml")).path("providers").get(0);
        String path = provider.path("options").path("path").asText();
        assertThat(path).startsWith(Provisioning.MOUNT + "/");
        Path local = Provisioning.ROOT.resolve(path.substring(Provisioning.MOUNT.length() + 1));
        assertThat(local).isDirectory();
        Set<String> uids = new HashSet<>();
        try (var s = Files.list(local)) {
            s.filter(f -> f.toString().endsWith(".json")).forEach(f -> uids.add(Provisioning.json(f).path("uid").asText()));
        }
        assertThat(uids).containsExactlyInAnyOrderElementsOf(DASHBOARDS);
        assertThat(provider.path("type").asText()).isEqualTo("file");
    }

    @Test
    void dashboardsHaveUniqueIdsVietnameseTitlesEnglishDescriptionsAndLocalTime() {
        Set<String> uids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        for (JsonNode d : Provisioning.dashboards()) {
            String uid = d.path("uid").asText();
            assertThat(uids.add(uid)).as("dashboard uid unique: " + uid).isTrue();
            assertThat(uid.length()).as("Grafana uids are at most 40 characters").isBetween(1, 40);
            assertThat(titles.add(d.path("title").asText())).as("dashboard title unique").isTrue();
            assertThat(hasDiacritics(d.path("title").asText())).as(uid + " title in Vietnamese with diacritics").isTrue();
            assertThat(d.path("timezone").asText()).as(uid + " timezone").isEqualTo("Asia/Ho_Chi_Minh");
            assertThat(d.has("id") && !d.get("id").isNull()).as(uid + ": provisioned dashboards carry no database id").isFalse();
            Set<Integer> ids = new HashSet<>();
            for (JsonNode p : Provisioning.panels(d)) {
                int id = p.path("id").asInt(-1);
                assertThat(id).as(uid + " panel id present").isPositive();
                assertThat(ids.add(id)).as(uid + " panel id unique: " + id).isTrue();
                if (!p.path("type").asText().equals("row")) {
                    assertThat(hasDiacritics(p.path("title").asText())).as(uid + "/" + id + " title in Vietnamese").isTrue();
                    String desc = p.path("description").asText();
                    assertThat(desc).as(uid + "/" + id + " description").isNotBlank();
                    assertThat(asciiShare(desc)).as(uid + "/" + id + " description is English: " + desc).isGreaterThan(0.9);
                }
            }
            assertThat(ids).as(uid + " has panels").isNotEmpty();
        }
        assertThat(uids).containsExactlyInAnyOrderElementsOf(DASHBOARDS);
    }

    @Test
    void everyPanelTargetAndVariableUsesTheProvisionedDatasource() {
        JsonNode ds = Provisioning.datasource();
        String uid = ds.path("uid").asText();
        String type = ds.path("type").asText();
        assertThat(uid).isEqualTo("onestop-pg");
        assertThat(type).isEqualTo("grafana-postgresql-datasource");
        int targets = 0;
        for (JsonNode d : Provisioning.dashboards()) {
            for (JsonNode p : Provisioning.panels(d)) {
                if (p.path("type").asText().equals("row")) {
                    continue;
                }
                assertThat(p.path("datasource").path("uid").asText()).as(d.path("uid") + "/" + p.path("id") + " panel datasource").isEqualTo(uid);
                assertThat(p.path("datasource").path("type").asText()).isEqualTo(type);
                assertThat(p.path("targets").size()).as("panel has a query").isPositive();
            }
            for (Provisioning.Query q : Provisioning.queries(d)) {
                assertThat(q.datasourceUid()).as(q.where() + " target datasource").isEqualTo(uid);
                assertThat(q.datasourceType()).as(q.where() + " target datasource type").isEqualTo(type);
                assertThat(q.rawSql()).as(q.where() + " rawSql").isNotBlank();
                targets++;
            }
            for (Provisioning.Variable v : Provisioning.variables(d)) {
                if (v.type().equals("query")) {
                    assertThat(v.json().path("datasource").path("uid").asText()).as(v.name() + " variable datasource").isEqualTo(uid);
                }
            }
        }
        assertThat(targets).isGreaterThan(30);
        for (Provisioning.AlertQuery a : Provisioning.alertQueries()) {
            assertThat(a.datasourceUid()).as(a.uid() + " alert query datasource").isEqualTo(uid);
        }
    }

    @Test
    void theDatasourceLogsInAsTheReadOnlyLoginFromTheEnvironment() {
        JsonNode ds = Provisioning.datasource();
        for (String field : List.of("url", "user")) {
            assertThat(ds.path(field).asText()).as(field).matches("\\$__env\\{[A-Z_]+}");
        }
        assertThat(ds.path("jsonData").path("database").asText()).matches("\\$__env\\{[A-Z_]+}");
        assertThat(ds.path("secureJsonData").path("password").asText()).isEqualTo("$__env{GRAFANA_DB_PASSWORD}");
        assertThat(ds.path("user").asText()).isEqualTo("$__env{GRAFANA_DB_USER}");
        assertThat(ds.has("password")).as("a password outside secureJsonData would be stored in clear").isFalse();
        assertThat(ds.path("editable").asBoolean(true)).isFalse();
    }

    // password: x, "password": "x", PASSWORD=x, token, secret, api keys, bearer headers, user:pass@ in URLs.
    static final Pattern SECRET_ASSIGNMENT = Pattern.compile(
            "(?i)[\"']?\\b([a-z_]*(password|passwd|pwd|secret|token|api_?key|apikey|authorization|credentials?))\\b[\"']?\\s*[:=]\\s*[\"']?([^\\s\"',}]*)");
    static final Pattern URL_USERINFO = Pattern.compile("(?i)\\b[a-z][a-z0-9+.-]*://[^/\\s:@]+:[^/\\s@]+@");
    static final Pattern BEARER = Pattern.compile("(?i)\\bbearer\\s+[a-z0-9._~+/-]{8,}");

    static List<String> credentialsIn(String text) {
        List<String> found = new ArrayList<>();
        Matcher m = SECRET_ASSIGNMENT.matcher(text);
        while (m.find()) {
            String value = m.group(3);
            // A reference to the environment is how secrets get in; an empty value holds nothing.
            if (!value.isEmpty() && !value.startsWith("$__env{") && !value.startsWith("${") && !value.matches("\\$[A-Z_]+")) {
                found.add(m.group());
            }
        }
        Matcher u = URL_USERINFO.matcher(text);
        while (u.find()) {
            found.add(u.group());
        }
        Matcher b = BEARER.matcher(text);
        while (b.find()) {
            found.add(b.group());
        }
        return found;
    }

    @Test
    void theCredentialScannerFindsWhatItLooksFor() {
        // Without this the scan below could pass by matching nothing.
        assertThat(credentialsIn("password: hunter2")).hasSize(1);
        assertThat(credentialsIn("\"basicAuthPassword\": \"s3cret\"")).hasSize(1);
        assertThat(credentialsIn("url: postgres://onestop_grafana:abc123@db:5432/x")).hasSize(1);
        assertThat(credentialsIn("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9")).isNotEmpty();
        assertThat(credentialsIn("password: $__env{GRAFANA_DB_PASSWORD}")).isEmpty();
        assertThat(credentialsIn("url: $__env{ONESTOP_ALERT_WEBHOOK_URL}")).isEmpty();
    }

    @Test
    void noFileHoldsACredential() throws IOException {
        List<Path> scanned = new ArrayList<>(Provisioning.allFiles());
        Path docs = Path.of("..", "docs", "DASHBOARDS.md");
        if (Files.exists(docs)) {
            scanned.add(docs);
        }
        for (Path p : scanned) {
            String text = Files.readString(p, StandardCharsets.UTF_8);
            assertThat(credentialsIn(text)).as("credentials in " + p).isEmpty();
        }
    }

    @Test
    void theSqlRuleCheckerCatchesAveragedRatios() {
        // The checker must fail the shapes it is meant to catch, or the test below proves nothing.
        assertThat(SqlRules.violations("SELECT avg(on_time_rate) FROM unit_kpi_period_ratio")).isNotEmpty();
        assertThat(SqlRules.violations("SELECT max(k.online_share) FROM unit_kpi_period_ratio k")).isNotEmpty();
        assertThat(SqlRules.violations("SELECT sum(a)::numeric / sum(b) FROM t")).isNotEmpty();
        assertThat(SqlRules.violations("SELECT avg(CASE WHEN x THEN 1.0 ELSE 0 END) FROM t")).isNotEmpty();
        assertThat(SqlRules.violations("SELECT sum(a)::numeric / NULLIF(sum(b), 0), x / 3600.0 FROM t -- avg(x) / y")).isEmpty();
        assertThat(SqlRules.violations("SELECT 'a / b', \"avg(x)\" FROM t")).isEmpty();
    }

    @Test
    void noPanelAlertOrVariableSqlAveragesARatio() {
        int checked = 0;
        for (JsonNode d : Provisioning.dashboards()) {
            for (Provisioning.Query q : Provisioning.queries(d)) {
                assertThat(SqlRules.violations(q.rawSql())).as(q.where()).isEmpty();
                checked++;
            }
            for (Provisioning.Variable v : Provisioning.variables(d)) {
                assertThat(SqlRules.violations(v.query())).as(d.path("uid") + " variable " + v.name()).isEmpty();
            }
        }
        for (Provisioning.AlertQuery a : Provisioning.alertQueries()) {
            assertThat(SqlRules.violations(a.rawSql())).as("alert " + a.uid()).isEmpty();
            checked++;
        }
        assertThat(checked).isGreaterThan(30);
    }

    @Test
    void ratiosArePerPanelSumsOverSums() {
        // Every KPI ratio computed in a panel divides a sum (or count) by a NULLIF over a sum (or count) of the same
        // rows: "sum(x)::numeric / NULLIF(sum(y), 0)". Panels that show a ratio column read it from a view that
        // computed it from summed counts (unit_kpi_period_ratio, unit_review) for exactly one unit and period.
        Pattern sumOverSum = Pattern.compile("(?i)(sum|count)\\([^;]*?\\)(\\s+FILTER\\s*\\([^)]*\\))?::numeric\\s*/\\s*NULLIF\\(\\s*(sum|count)\\(");
        Pattern anyDivision = Pattern.compile("::numeric\\s*/\\s*NULLIF");
        int ratioPanels = 0;
        for (JsonNode d : Provisioning.dashboards()) {
            for (Provisioning.Query q : Provisioning.queries(d)) {
                String c = SqlRules.code(q.rawSql());
                Matcher any = anyDivision.matcher(c);
                int divisions = 0;
                while (any.find()) {
                    divisions++;
                }
                if (divisions == 0) {
                    continue;
                }
                ratioPanels++;
                boolean fromCte = c.contains("WITH r AS") && q.panelTitle().equals("Xếp hạng đơn vị");
                if (!fromCte) {
                    Matcher m = sumOverSum.matcher(c);
                    int sums = 0;
                    while (m.find()) {
                        sums++;
                    }
                    assertThat(sums).as(q.where() + ": every ratio is sum(...)/NULLIF(sum(...), 0)").isEqualTo(divisions);
                } else {
                    // The ranking table sums in CTEs first (cur, prev) and divides the sums afterwards.
                    assertThat(c).contains("sum(d.resolved_early + d.resolved_on_time) AS resolved_in_time", "sum(d.resolved) AS resolved");
                }
            }
        }
        assertThat(ratioPanels).isGreaterThan(10);
    }

    @Test
    void alertRulesContactPointAndPolicyFitTogether() {
        List<JsonNode> rules = Provisioning.alertRules();
        assertThat(rules).hasSizeGreaterThanOrEqualTo(2);
        Set<String> uids = new HashSet<>();
        boolean belowTarget = false;
        boolean backlog = false;
        for (JsonNode r : rules) {
            String uid = r.path("uid").asText();
            assertThat(uids.add(uid)).as("rule uid unique " + uid).isTrue();
            assertThat(uid.length()).isBetween(1, 40);
            Set<String> refIds = new HashSet<>();
            for (JsonNode d : r.path("data")) {
                refIds.add(d.path("refId").asText());
            }
            assertThat(refIds).as(uid + " condition").contains(r.path("condition").asText());
            for (JsonNode d : r.path("data")) {
                JsonNode m = d.path("model");
                if (d.path("datasourceUid").asText().equals("__expr__")) {
                    assertThat(refIds).as(uid + " expression input").contains(m.path("expression").asText());
                } else {
                    assertThat(m.path("format").asText()).isEqualTo("table");
                    // Alerting provisioning expands $NAME as an environment variable in rule fields: a macro or
                    // variable here would silently become an empty string.
                    assertThat(m.path("rawSql").asText()).as(uid + " SQL has no $").doesNotContain("$");
                }
            }
            assertThat(r.path("for").asText()).isNotBlank();
            assertThat(r.path("labels").path("severity").asText()).isNotBlank();
            assertThat(r.path("annotations").path("summary").asText()).isNotBlank();
            belowTarget |= uid.startsWith("onestop-kpi-");
            backlog |= uid.equals("onestop-overdue-backlog");
        }
        assertThat(belowTarget).as("a unit-below-target rule").isTrue();
        assertThat(backlog).as("an overdue-backlog rule").isTrue();

        JsonNode cp = Provisioning.yaml(Provisioning.ROOT.resolve("alerting/contact-points.yaml")).path("contactPoints").get(0);
        JsonNode receiver = cp.path("receivers").get(0);
        assertThat(receiver.path("settings").path("url").asText()).as("contact point address from the environment")
                .matches("\\$__env\\{[A-Z_]+}");
        JsonNode policy = Provisioning.yaml(Provisioning.ROOT.resolve("alerting/policies.yaml")).path("policies").get(0);
        assertThat(policy.path("receiver").asText()).isEqualTo(cp.path("name").asText());
        List<String> groupBy = new ArrayList<>();
        policy.path("group_by").forEach(g -> groupBy.add(g.asText()));
        assertThat(groupBy).contains("alertname", "unit_code");
    }

    static boolean hasDiacritics(String s) {
        return s.chars().anyMatch(c -> c > 127 && Character.isLetter(c));
    }

    static double asciiShare(String s) {
        long letters = s.chars().filter(Character::isLetter).count();
        long ascii = s.chars().filter(c -> Character.isLetter(c) && c < 128).count();
        return letters == 0 ? 0 : (double) ascii / letters;
    }
}
