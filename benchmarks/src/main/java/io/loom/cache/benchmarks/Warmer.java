package io.loom.cache.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Reads every row and/or every first page once through a reader, from {@value #THREADS} threads. */
final class Warmer {

    static final int THREADS = 8;

    private Warmer() {
    }

    static void read(EntityReader reader, Warming what) {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < THREADS && what.rows(); t++) {
                int first = t + 1;
                parts.add(pool.submit(() -> {
                    for (long id = first; id <= BenchSettings.ROWS; id += THREADS) {
                        reader.find(id);
                    }
                }));
            }
            for (int c = 0; c < BenchSettings.CATEGORIES && what.pages(); c++) {
                String category = BookFixture.categoryName(c);
                parts.add(pool.submit(() -> reader.list(category, BenchSettings.LIST_LIMIT)));
            }
            for (Future<?> part : parts) {
                part.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while warming " + reader, e);
        } catch (ExecutionException e) {
            throw new BenchException("warming " + reader + " failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
