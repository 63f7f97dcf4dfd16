package io.loom.cache.internal.backend;

import io.loom.cache.config.BackendSettings;
import org.junit.jupiter.api.Test;
import org.redisson.config.SingleServerConfig;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SharedRedissonClientsTest {

    @Test
    void configFor_defaults_shortTimeoutOneRetryAfterFiftyMillis() {
        SingleServerConfig server = SharedRedissonClients.configFor("default",
                BackendSettings.redis("redis://127.0.0.1:6379")).useSingleServer();
        assertEquals(500, server.getTimeout());
        assertEquals(1, server.getRetryAttempts());
        assertEquals(Duration.ofMillis(50), server.getRetryDelay().calcDelay(1));
    }
}
