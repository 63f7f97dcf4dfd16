package io.loom.cache.spring.example;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/** The example shop: entities, a Spring Data repository, a transactional service and a controller. */
@SpringBootApplication
@EnableCaching
public class ExampleApplication {
}
