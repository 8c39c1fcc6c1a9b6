package vn.onestop.monitor;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job's packages depend on each other one way only (units ← ingest ← alert ← kpi ← sink ← reference, and the root
 * package, which wires the job, on all of them), so that each can be read, and changed, knowing only what lies below it. Reads the source tree:
 * every mention of {@code vn.onestop.monitor.<package>.} or of a root class, in imports or fully qualified in code.
 */
class PackageCycleTest {
    private static final Path SOURCES = Path.of("src/main/java/vn/onestop/monitor");
    private static final String ROOT = "(root)";
    private static final Pattern PACKAGE = Pattern.compile("^package vn\\.onestop\\.monitor(?:\\.([a-z]+))?;", Pattern.MULTILINE);
    private static final Pattern MENTION = Pattern.compile("\\bvn\\.onestop\\.monitor\\.(?:([a-z]+)\\.|([A-Z]\\w*))");

    @Test
    void thePackagesOfTheJobFormNoCycle() throws IOException {
        Map<String, Set<String>> uses = dependencies();
        // Guards the scan itself: a wrong path or pattern would find nothing and pass.
        assertThat(uses.keySet()).contains(ROOT, "ingest", "kpi", "alert", "sink", "reference");
        assertThat(uses.get("kpi")).contains("ingest");

        assertThat(cycle(uses)).as("package dependencies %s", uses).isEmpty();
    }

    @Test
    void aCycleIsFound() {
        Map<String, Set<String>> uses = new TreeMap<>(Map.of("kpi", Set.of("alert"), "alert", Set.of("ingest", "kpi"), "ingest", Set.of()));
        assertThat(cycle(uses)).containsExactly("alert", "kpi", "alert");
    }

    private static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String text = Files.readString(f);
                Matcher p = PACKAGE.matcher(text);
                assertThat(p.find()).as("package line of %s", f).isTrue();
                String from = p.group(1) == null ? ROOT : p.group(1);
                Set<String> targets = uses.computeIfAbsent(from, k -> new TreeSet<>());
                Matcher m = MENTION.matcher(text);
                while (m.find()) {
                    String to = m.group(1) != null ? m.group(1) : ROOT;
                    if (!to.equals(from)) {
                        targets.add(to);
                    }
                }
            }
        }
        return uses;
    }

    /** The first cycle found by depth-first search, as a path that starts and ends with the same package; empty if none. */
    static List<String> cycle(Map<String, Set<String>> uses) {
        Set<String> done = new TreeSet<>();
        for (String start : uses.keySet()) {
            List<String> found = visit(start, uses, new ArrayDeque<>(), done);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    private static List<String> visit(String pkg, Map<String, Set<String>> uses, Deque<String> path, Set<String> done) {
        if (path.contains(pkg)) {
            List<String> cycle = new ArrayList<>();
            boolean in = false;
            for (var it = path.descendingIterator(); it.hasNext(); ) {
                String p = it.next();
                in |= p.equals(pkg);
                if (in) {
                    cycle.add(p);
                }
            }
            cycle.add(pkg);
            return cycle;
        }
        if (!done.add(pkg)) {
            return List.of();
        }
        path.push(pkg);
        for (String next : uses.getOrDefault(pkg, Set.of())) {
            List<String> found = visit(next, uses, path, done);
            if (!found.isEmpty()) {
                return found;
            }
        }
        path.pop();
        return List.of();
    }
}
