package io.loom.cache.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PackageGraphTest {

    @TempDir
    Path root;

    private void write(String path, String source) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
    }

    @Test
    void importsAndQualifiedNamesCount_commentsAndStringsDoNot() throws IOException {
        write("a/A.java", """
                /* header */
                package x.a;

                import x.b.B;
                import static x.c.C.f;

                /** See {@link x.d.D}. */
                class A {
                    // x.e.E in a comment
                    String s = "x.f.F in a string";
                    x.g.G g;
                }
                """);
        PackageGraph graph = PackageGraph.of(root, "x");

        assertEquals(Set.of("x.b", "x.c", "x.g"), graph.uses("x.a").keySet());
        assertEquals(Map.of("x.b", Set.of("A.java")), Map.of("x.b", graph.uses("x.a").get("x.b")));
    }

    @Test
    void cycle_isReportedAlongItsPackages() throws IOException {
        write("a/A.java", "package x.a;\nimport x.b.B;\nclass A { }\n");
        write("b/B.java", "package x.b;\nimport x.c.C;\nclass B { }\n");
        write("c/C.java", "package x.c;\nimport x.a.A;\nclass C { }\n");
        write("d/D.java", "package x.d;\nimport x.a.A;\nclass D { }\n");

        assertEquals(List.of("x.a", "x.b", "x.c", "x.a"), PackageGraph.of(root, "x").cycle());
    }

    @Test
    void acyclicGraph_hasNoCycle() throws IOException {
        write("a/A.java", "package x.a;\nimport x.b.B;\nimport x.c.C;\nclass A { }\n");
        write("b/B.java", "package x.b;\nimport x.c.C;\nclass B { }\n");
        write("c/C.java", "package x.c;\nclass C { }\n");

        assertEquals(List.of(), PackageGraph.of(root, "x").cycle());
    }

    @Test
    void exports_areReadFromModuleInfo() throws IOException {
        write("module-info.java", """
                /** exports x.hidden in a comment */
                module x {
                    requires y;
                    exports x.api;
                    exports x.spi to z;
                }
                """);

        assertEquals(Set.of("x.api", "x.spi"), PackageGraph.exports(root.resolve("module-info.java")));
    }
}
