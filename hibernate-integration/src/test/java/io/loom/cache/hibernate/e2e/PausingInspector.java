package io.loom.cache.hibernate.e2e;

import io.loom.cache.testing.Await;
import org.hibernate.resource.jdbc.spi.StatementInspector;

import java.time.Duration;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Holds a matching statement until {@link #waitFor} holds (at most 5 s) and records whether it
 * did; the test asserts it, since an exception here would fail the application's write.
 */
public final class PausingInspector implements StatementInspector {
    /** The statements to hold (lower-cased SQL), or null for none; only the first match is held. */
    public volatile Predicate<String> pauseOn;
    /** What a held statement waits for. */
    public volatile BooleanSupplier waitFor;
    /** Whether {@link #waitFor} held before the last held statement went on. */
    public volatile boolean held;

    @Override
    public String inspect(String sql) {
        Predicate<String> pause = pauseOn;
        if (pause != null && pause.test(sql.toLowerCase(Locale.ROOT))) {
            pauseOn = null;
            try {
                Await.until(waitFor, Duration.ofSeconds(5), "announcement");
                held = true;
            } catch (AssertionError e) {
                held = false;
            }
        }
        return sql;
    }
}
