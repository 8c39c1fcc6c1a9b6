package vn.onestop.monitor.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The provisioning tree as Grafana reads it: {@code dashboards/provisioning} is mounted at /etc/grafana/provisioning.
 * Loads every dashboard JSON and alerting YAML file and flattens them into the SQL queries Grafana would send.
 */
final class Provisioning {
    static final Path ROOT = Path.of("provisioning");
    static final String MOUNT = "/etc/grafana/provisioning";
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Provisioning() {}

    /** A panel target: what Grafana runs for one query of one panel. */
    record Query(String dashboardUid, String dashboardTitle, int panelId, String panelType, String panelTitle,
                 String format, String rawSql, String datasourceUid, String datasourceType) {
        String where() {
            return dashboardUid + " / panel " + panelId + " '" + panelTitle + "' (" + panelType + ")";
        }
    }

    /** A dashboard template variable. */
    record Variable(String name, String type, String query, boolean multi, boolean includeAll, JsonNode json) {}

    /** One provisioned alert rule's data query (refId A by convention) and its condition chain. */
    record AlertQuery(String uid, String title, String rawSql, String datasourceUid, JsonNode rule) {}

    static List<Path> files(String dir, String suffix) {
        Path d = ROOT.resolve(dir);
        try (Stream<Path> s = Files.walk(d)) {
            return s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> allFiles() {
        try (Stream<Path> s = Files.walk(ROOT)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("not valid JSON: " + p, e);
        }
    }

    static JsonNode yaml(Path p) {
        try {
            return YAML.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("not valid YAML: " + p, e);
        }
    }

    static List<JsonNode> dashboards() {
        return files("dashboards", ".json").stream().map(Provisioning::json).toList();
    }

    /** Every panel, nested rows included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            out.add(p);
            for (JsonNode inner : p.path("panels")) {
                out.add(inner);
            }
        }
        return out;
    }

    static List<Query> queries(JsonNode dashboard) {
        List<Query> out = new ArrayList<>();
        for (JsonNode p : panels(dashboard)) {
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            for (JsonNode t : p.path("targets")) {
                JsonNode ds = t.has("datasource") ? t.get("datasource") : p.path("datasource");
                out.add(new Query(dashboard.path("uid").asText(), dashboard.path("title").asText(), p.path("id").asInt(),
                        p.path("type").asText(), p.path("title").asText(), t.path("format").asText("table"),
                        t.path("rawSql").asText(null), ds.path("uid").asText(null), ds.path("type").asText(null)));
            }
        }
        return out;
    }

    static List<Variable> variables(JsonNode dashboard) {
        List<Variable> out = new ArrayList<>();
        for (JsonNode v : dashboard.path("templating").path("list")) {
            out.add(new Variable(v.path("name").asText(), v.path("type").asText(), v.path("query").asText(),
                    v.path("multi").asBoolean(), v.path("includeAll").asBoolean(), v));
        }
        return out;
    }

    static List<JsonNode> alertRules() {
        List<JsonNode> out = new ArrayList<>();
        for (Path f : files("alerting", ".yaml")) {
            for (JsonNode g : yaml(f).path("groups")) {
                g.path("rules").forEach(out::add);
            }
        }
        return out;
    }

    static List<AlertQuery> alertQueries() {
        List<AlertQuery> out = new ArrayList<>();
        for (JsonNode r : alertRules()) {
            for (JsonNode d : r.path("data")) {
                if (!d.path("datasourceUid").asText().equals("__expr__")) {
                    out.add(new AlertQuery(r.path("uid").asText(), r.path("title").asText(),
                            d.path("model").path("rawSql").asText(null), d.path("datasourceUid").asText(), r));
                }
            }
        }
        return out;
    }

    static JsonNode datasource() {
        return yaml(ROOT.resolve("datasources/postgres.yaml")).path("datasources").get(0);
    }
}
