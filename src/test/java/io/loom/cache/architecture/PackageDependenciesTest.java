package io.loom.cache.architecture;

import io.loom.cache.testing.PackageGraph;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The core's package structure, read from its sources: no package cycle, and every exported
 * package other than the composition root ({@code io.loom.cache}, which wires the internals
 * together) uses exported packages only, so the public contract depends on no implementation.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("main/java");
    private static final String ROOT = "io.loom.cache";

    private final PackageGraph graph = PackageGraph.of(SOURCES, ROOT);
    private final Set<String> exported = PackageGraph.exports(SOURCES.resolve("module-info.java"));

    @Test
    void sourcesAreRead() {
        assertTrue(graph.packages().contains(ROOT + ".internal.read"), "packages read: " + graph.packages());
        assertTrue(exported.contains(ROOT + ".gateway"), "exports read: " + exported);
    }

    @Test
    void noPackageCycle() {
        assertEquals(List.of(), graph.cycle(), "package cycle");
    }

    @Test
    void exportedPackagesUseOnlyExportedPackages() {
        Map<String, Map<String, Set<String>>> violations = new TreeMap<>();
        for (String pkg : exported) {
            if (pkg.equals(ROOT)) {
                continue;
            }
            graph.uses(pkg).forEach((used, files) -> {
                if (!exported.contains(used)) {
                    violations.computeIfAbsent(pkg, p -> new TreeMap<>()).put(used, files);
                }
            });
        }
        assertEquals(Map.of(), violations, "exported package -> unexported package it uses -> files");
    }

    @Test
    void noInternalPackageIsExported() {
        exported.forEach(pkg -> assertTrue(!pkg.contains(".internal"), pkg + " is exported"));
    }
}
