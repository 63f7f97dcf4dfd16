package io.loom.cache.spring.example;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The example shop: entities, a Spring Data repository, a transactional service and a controller. */
@SpringBootApplication
public class ExampleApplication {
}
