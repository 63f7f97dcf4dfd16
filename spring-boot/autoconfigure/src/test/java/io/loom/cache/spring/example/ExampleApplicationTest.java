package io.loom.cache.spring.example;

import io.loom.cache.LoomCache;
import io.loom.cache.stats.CacheStats;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The example shop on H2 and the in-memory cache, through its HTTP API. */
@SpringBootTest(classes = ExampleApplication.class)
class ExampleApplicationTest {

    @Autowired
    WebApplicationContext context;
    @Autowired
    ProductService service;
    @Autowired
    LoomCache cache;

    MockMvc mvc;

    @BeforeEach
    void setUp() {
        mvc = MockMvcBuilders.webAppContextSetup(context).build();
    }

    @Test
    void repeatedGets_hit_committedPut_isSeen_rolledBackWrite_isNot() throws Exception {
        long id = service.add("kettle", "kitchen-http", 30).getId();
        mvc.perform(get("/products/{id}", id)).andExpect(status().isOk()).andExpect(jsonPath("$.price").value(30));
        mvc.perform(get("/categories/kitchen-http/cheaper-than/100")).andExpect(jsonPath("$[0].name").value("kettle"));
        CacheStats before = cache.stats("product");
        for (int i = 0; i < 3; i++) {
            mvc.perform(get("/products/{id}", id)).andExpect(jsonPath("$.price").value(30));
            mvc.perform(get("/categories/kitchen-http/cheaper-than/100")).andExpect(jsonPath("$[0].price").value(30));
        }
        assertThat(cache.stats("product").minus(before).hits()).isEqualTo(6);

        mvc.perform(put("/products/{id}/price", id).param("value", "35")).andExpect(status().isOk());
        mvc.perform(get("/products/{id}", id)).andExpect(jsonPath("$.price").value(35));
        mvc.perform(get("/categories/kitchen-http/cheaper-than/100")).andExpect(jsonPath("$[0].price").value(35));

        assertThatThrownBy(() -> service.repriceThenFail(id, 99)).isInstanceOf(IllegalStateException.class);
        CacheStats afterRollback = cache.stats("product");
        mvc.perform(get("/products/{id}", id)).andExpect(jsonPath("$.price").value(35));
        assertThat(cache.stats("product").minus(afterRollback).hits()).as("a rollback invalidates nothing").isEqualTo(1);
        mvc.perform(get("/products/{id}", -1)).andExpect(status().isNotFound());
    }
}
