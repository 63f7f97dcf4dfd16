package io.loom.cache.spring.cache;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TypedValueTest {

    record Line(String sku, long quantity, BigDecimal price, LocalDate day) {
    }

    enum Tier { GOLD }

    @Test
    void roundTrips_recordsScalarsAndTheirCollections() {
        Line line = new Line("a", 2, new BigDecimal("1.10"), LocalDate.of(2026, 12, 2));
        for (Object value : List.of(line, List.of(line, line), Set.of("x", "y"), Map.of("k", line), List.of(), 42L,
                "text", Tier.GOLD)) {
            assertThat(TypedValue.of(value).value()).isEqualTo(value);
        }
    }

    @Test
    void refusesValuesOfOtherTypes_andForeignTypeNames() {
        assertThat(TypedValue.of(new StringBuilder("mutable"))).isNull();
        assertThat(TypedValue.of(List.of(new Object()))).isNull();
        TypedValue foreign = new TypedValue("java.lang.ProcessBuilder", TypedValue.of("x").payload());
        assertThatThrownBy(foreign::value).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ProcessBuilder");
        TypedValue foreignElement = new TypedValue("java.util.List<java.io.File>", TypedValue.of(List.of()).payload());
        assertThatThrownBy(foreignElement::value).isInstanceOf(IllegalArgumentException.class);
    }
}
