package io.loom.cache.testing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisServerProcessTest {

    @Test
    void startStopRestart_ownServerAnswersAndLosesData() {
        try (RedisServerProcess server = RedisServerProcess.start()) {
            assertTrue(server.command("PING").contains("PONG"));
            server.command("SET", "k", "v");
            assertTrue(server.command("GET", "k").contains("v"));
            server.restart();
            assertTrue(server.command("GET", "k").startsWith("$-1"), "restart starts empty");
            server.stop();
            assertFalse(server.isRunning());
        }
    }

    @Test
    void infoCommandstats_isReadable() {
        try (RedisServerProcess server = RedisServerProcess.start()) {
            server.command("SET", "k", "v");
            assertTrue(server.command("INFO", "commandstats").contains("cmdstat_set:calls=1"));
        }
    }
}
