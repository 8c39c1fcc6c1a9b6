package vn.onestop.monitor.security;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets come only from the environment: no configuration file of the source tree (what git tracks, plus new files
 * git does not ignore) assigns a literal to a password, secret, token or key setting. References such as
 * {@code ${JOB_DB_PASSWORD}} or Grafana's {@code $__env{NAME}}, and empty values in examples, are fine. Java code is
 * not scanned: it generates random passwords for the embedded services (the embedded PostgreSQL's superuser is the
 * throwaway default of the test binaries).
 */
class SecretsInSourceTest {
    static final Pattern SETTING = Pattern.compile(
            "(?i)[\"']?([A-Za-z0-9_.-]*(?:password|passwd|secret|token|api[_-]?key|credentials?)[A-Za-z0-9_.-]*)[\"']?\\s*[:=]\\s*(.*)$");
    static final Pattern CONFIG_FILE = Pattern.compile(
            "(?i).*(\\.ya?ml|\\.properties|\\.json|\\.xml|\\.conf|\\.cfg|\\.ini|\\.toml|\\.env(\\.[a-z]+)?|\\.sh|Makefile|Dockerfile|/run)$");

    /** A finding, or null: the value of a secret-looking setting that is a literal. */
    static String literalSecret(String line) {
        String t = line.strip();
        if (t.startsWith("#") || t.startsWith("//") || t.startsWith("<!--")) {
            return null;
        }
        Matcher m = SETTING.matcher(t);
        if (!m.find()) {
            return null;
        }
        String value = m.group(2).strip().replaceAll("^[\"']|[\"',]+$", "").strip();
        int comment = value.indexOf(" #");
        if (comment >= 0) {
            value = value.substring(0, comment).strip();
        }
        if (value.isEmpty() || value.startsWith("$") || value.startsWith("{") || value.startsWith("[")
                || value.equalsIgnoreCase("null") || value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")
                || value.startsWith("<") && value.endsWith(">")) {
            return null;
        }
        return m.group(1) + " = " + value;
    }

    @Test
    void theDetectorFindsLiteralsAndLetsReferencesPass() {
        // Without these the scan below could pass by never matching anything.
        assertThat(literalSecret("JDBC_PASSWORD=s3cret")).isNotNull();
        assertThat(literalSecret("      password: hunter2")).isNotNull();
        assertThat(literalSecret("  \"secureJsonData\": {\"password\": \"abc\"}")).isNotNull();
        assertThat(literalSecret("GF_SECURITY_ADMIN_PASSWORD: admin")).isNotNull();
        assertThat(literalSecret("sasl.jaas.config.password=kafka")).isNotNull();
        assertThat(literalSecret("      password: $__env{GRAFANA_DB_PASSWORD}")).isNull();
        assertThat(literalSecret("  JDBC_PASSWORD: ${JOB_DB_PASSWORD:?set it}")).isNull();
        assertThat(literalSecret("POSTGRES_PASSWORD=")).isNull();
        assertThat(literalSecret("# set every password: in docker/.env")).isNull();
    }

    @Test
    void noConfigurationFileHoldsALiteralSecret() throws Exception {
        Path root = projectRoot();
        List<String> files = sourceFiles(root);
        assertThat(files).as("the scan must see the tree").contains("Makefile", "pipeline/pom.xml");
        List<String> findings = new ArrayList<>();
        for (String f : files) {
            if (!CONFIG_FILE.matcher("/" + f).matches() || f.contains("/src/test/resources/vn/onestop/monitor/deploy/")) {
                continue; // the compose JSON schema is a vendored specification, not configuration
            }
            Path p = root.resolve(f);
            if (!Files.isRegularFile(p)) {
                continue;
            }
            List<String> lines = List.of(new String(Files.readAllBytes(p), StandardCharsets.UTF_8).split("\n"));
            for (int i = 0; i < lines.size(); i++) {
                String finding = literalSecret(lines.get(i));
                if (finding != null) {
                    findings.add(f + ":" + (i + 1) + ": " + finding);
                }
            }
        }
        assertThat(findings).isEmpty();
    }

    static Path projectRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("Makefile"))) {
            p = p.getParent();
        }
        assertThat(p).as("project root with the Makefile").isNotNull();
        return p;
    }

    /** git's view of the source tree when git is there; otherwise every file outside build output and data. */
    static List<String> sourceFiles(Path root) throws IOException, InterruptedException {
        try {
            Process git = new ProcessBuilder("git", "-C", root.toString(), "ls-files", "--cached", "--others", "--exclude-standard")
                    .redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (git.waitFor() == 0) {
                return List.of(out.split("\n"));
            }
        } catch (IOException noGit) {
            // fall through to the walk
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(f -> root.relativize(f).toString().replace('\\', '/'))
                    .filter(f -> !f.contains("target/") && !f.startsWith(".local-data") && !f.startsWith(".git/")
                            && !f.toLowerCase(Locale.ROOT).contains("/node_modules/"))
                    .toList();
        }
    }
}
