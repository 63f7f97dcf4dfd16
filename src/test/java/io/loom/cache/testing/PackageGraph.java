package io.loom.cache.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which package of a source tree uses which other package of the same library, read from the
 * sources themselves (imports and fully qualified names in code; comments and Javadoc do not
 * count), and the packages a {@code module-info.java} exports. Architecture tests assert on it:
 * no package cycle, exported packages depend only on exported packages.
 */
public final class PackageGraph {

    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern EXPORTS = Pattern.compile("^\\s*exports\\s+([\\w.]+)", Pattern.MULTILINE);

    /** Package to the packages it uses, each with the files that use it. */
    private final Map<String, Map<String, Set<String>>> uses;

    private PackageGraph(Map<String, Map<String, Set<String>>> uses) {
        this.uses = uses;
    }

    /** The graph of the {@code .java} files under {@code sourceRoot}, counting packages under {@code prefix} only. */
    public static PackageGraph of(Path sourceRoot, String prefix) {
        Pattern reference = Pattern.compile("\\b(" + Pattern.quote(prefix) + "(?:\\.[a-z_][\\w]*)*)\\.(?:[A-Z]|\\*)");
        Map<String, Map<String, Set<String>>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                if (file.getFileName().toString().equals("module-info.java")) {
                    continue;
                }
                String code = withoutCommentsAndStrings(Files.readString(file));
                Matcher own = PACKAGE.matcher(code);
                if (!own.find()) {
                    continue;
                }
                String from = own.group(1);
                Map<String, Set<String>> targets = uses.computeIfAbsent(from, p -> new TreeMap<>());
                Matcher used = reference.matcher(code);
                while (used.find()) {
                    String to = used.group(1);
                    if (!to.equals(from)) {
                        targets.computeIfAbsent(to, p -> new TreeSet<>()).add(file.getFileName().toString());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PackageGraph(uses);
    }

    /** The packages {@code moduleInfo} exports (qualified exports included). */
    public static Set<String> exports(Path moduleInfo) {
        try {
            Matcher m = EXPORTS.matcher(withoutCommentsAndStrings(Files.readString(moduleInfo)));
            Set<String> exported = new TreeSet<>();
            while (m.find()) {
                exported.add(m.group(1));
            }
            return exported;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every package with sources. */
    public Set<String> packages() {
        return uses.keySet();
    }

    /** The packages {@code pkg} uses, each with the files that use it. */
    public Map<String, Set<String>> uses(String pkg) {
        return uses.getOrDefault(pkg, Map.of());
    }

    /** One package cycle, as the packages along it with the first repeated at the end; empty when there is none. */
    public List<String> cycle() {
        Set<String> done = new TreeSet<>();
        for (String start : uses.keySet()) {
            List<String> found = cycleFrom(start, new LinkedHashSet<>(), done);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    private List<String> cycleFrom(String pkg, LinkedHashSet<String> path, Set<String> done) {
        if (path.contains(pkg)) {
            List<String> cycle = new ArrayList<>();
            boolean in = false;
            for (String p : path) {
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
        path.add(pkg);
        for (String next : uses(pkg).keySet()) {
            List<String> found = cycleFrom(next, path, done);
            if (!found.isEmpty()) {
                return found;
            }
        }
        path.remove(pkg);
        return List.of();
    }

    /** The source with comments and string/char literals blanked, so only code references count. */
    static String withoutCommentsAndStrings(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? source.length() : end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
                out.append(' ');
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                i = end < 0 ? source.length() : end + 3;
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < source.length() && source.charAt(j) != c) {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                i = j + 1;
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
