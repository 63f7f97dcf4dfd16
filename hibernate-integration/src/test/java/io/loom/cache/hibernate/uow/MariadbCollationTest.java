package io.loom.cache.hibernate.uow;

import io.loom.cache.hibernate.model.TestDatabase;
import io.loom.cache.hibernate.uow.UowViews.WarehouseCreate;
import io.loom.cache.hibernate.uow.UowViews.WarehouseUpdate;
import io.loom.cache.hibernate.uow.UowViews.WarehouseView;
import io.loom.cache.repository.FilterParams;
import io.loom.cache.repository.PageParams;
import io.loom.cache.testing.RedisTestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * MariaDB's default collations compare text ids case-insensitively and ignoring trailing spaces:
 * a lookup spelled differently from the stored id finds the row, and must be invalidated by that
 * row's writes.
 */
class MariadbCollationTest {

    private static final RedisTestNamespace NS = RedisTestNamespace.create(MariadbCollationTest.class);
    private static UowNode node;

    @BeforeAll
    static void start() {
        node = UowNode.on(TestDatabase.Kind.MARIADB, "loom_collation", NS.namespace());
    }

    @AfterAll
    static void stop() {
        try {
            node.close();
        } finally {
            NS.close();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {"mixed|MIXED", "mixeb|\"mixeb \"", "mixec|Mixec"})
    void getById_spelledDifferently_isInvalidatedByTheRowsUpdate(String code, String asked) {
        node.warehouses.create(new WarehouseCreate(code, "Lyon"));
        assertEquals(Optional.of(new WarehouseView(code, "Lyon")), node.warehouses.getById(asked));
        assertEquals(Optional.of(new WarehouseView(code, "Lyon")), node.warehouses.getById(asked), "cached");
        FilterParams inLyon = new FilterParams(Map.of("city", "Lyon"));
        assertEquals(1, node.warehouses.listPaginated(new PageParams(1, 10), inLyon, "default").items().stream()
                .filter(w -> w.code().equals(code)).count());

        node.warehouses.update(code, new WarehouseUpdate("Paris"));
        assertEquals("Paris", node.warehouses.getById(asked).orElseThrow().city());
        assertEquals(0, node.warehouses.listPaginated(new PageParams(1, 10), inLyon, "default").items().stream()
                .filter(w -> w.code().equals(code)).count(), "lists stay fresh");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {"ghost|GHOST", "ghosb|\"ghosb \""})
    void getById_notFoundSpelledDifferently_endsWhenTheRowIsInserted(String code, String asked) {
        assertEquals(Optional.empty(), node.warehouses.getById(asked));
        assertEquals(Optional.empty(), node.warehouses.getById(asked), "cached as not found");
        node.warehouses.create(new WarehouseCreate(code, "Oslo"));
        assertEquals(Optional.of(new WarehouseView(code, "Oslo")), node.warehouses.getById(asked));
    }
}
