package io.loom.cache.spring.actuate;

import io.loom.cache.spring.example.CatalogRepository;
import io.loom.cache.spring.example.ExampleApplication;
import io.loom.cache.spring.example.ProductService;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest(classes = ExampleApplication.class)
class OperationsTest {

    @Autowired
    LoomCacheHealthIndicator health;
    @Autowired
    MeterRegistry registry;
    @Autowired
    CatalogRepository catalog;
    @Autowired
    ProductService service;
    @Autowired
    WebApplicationContext context;

    @Test
    void health_isUp_withDegradationDetails() {
        Health h = health.health();
        assertThat(h.getStatus()).isEqualTo(Status.UP);
        assertThat(h.getDetails()).containsEntry("backend", "available").containsEntry("undeliveredInvalidations", 0)
                .containsEntry("degraded", false).containsKeys("fallbacks", "bypasses", "bumpFailures");
    }

    @Test
    void conventionalCacheMeters_andLoomMeters_countHitsMissesAndPuts() {
        long id = service.add("clock", "meters", 12).getId();
        double hits = gets("hit");
        double misses = gets("miss");
        double puts = count("cache.puts");
        catalog.findById(id);
        catalog.findById(id);
        catalog.findById(id);
        assertThat(gets("hit") - hits).isEqualTo(2);
        assertThat(gets("miss") - misses).isEqualTo(1);
        assertThat(count("cache.puts") - puts).isEqualTo(1);
        service.reprice(id, 13);
        double evictions = count("cache.evictions");
        catalog.findById(id);
        assertThat(count("cache.evictions") - evictions).isEqualTo(1);
        assertThat(registry.get("loom.cache.hits").tag("entity", "product").functionCounter().count())
                .isEqualTo(gets("hit"));
        assertThat(registry.get("loom.cache.pending.invalidations").gauge().value()).isZero();
    }

    @Test
    void actuatorHealthEndpoint_showsTheLoomContributor() throws Exception {
        MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
        mvc.perform(get("/actuator/health/loom")).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("UP"))
                .andExpect(jsonPath("$.details.backend").value("available"));
    }

    private double gets(String result) {
        var counter = registry.find("cache.gets").tags("cache", "product", "result", result).functionCounter();
        return counter == null ? 0 : counter.count(); // registered when the entity is first used
    }

    private double count(String name) {
        var counter = registry.find(name).tags("cache", "product").functionCounter();
        return counter == null ? 0 : counter.count();
    }
}
