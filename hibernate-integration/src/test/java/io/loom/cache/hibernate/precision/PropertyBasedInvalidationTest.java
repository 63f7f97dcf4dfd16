package io.loom.cache.hibernate.precision;

import io.loom.cache.CachedRepository;
import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.hibernate.model.Author;
import io.loom.cache.hibernate.model.Book;
import io.loom.cache.hibernate.model.Views.BookView;
import io.loom.cache.repository.CursorParams;
import io.loom.cache.repository.CursorResult;
import io.loom.cache.repository.Direction;
import io.loom.cache.repository.Filter;
import io.loom.cache.repository.FilterOp;
import io.loom.cache.repository.ListResult;
import io.loom.cache.repository.PageParams;
import io.loom.cache.repository.Pagination;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.repository.Repository;
import io.loom.cache.repository.Sort;
import io.loom.cache.stats.CacheStats;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property: after every committed write, every cached list result equals what the database returns
 * now (0 stale results), whatever the sequence of writes and queries. Seeded random sequences of
 * inserts, updates and deletes through plain EntityManagers, and random queries (eq/in/range/
 * null/prefix/contains filters, sorts, offset pages and cursor walks). After each write, every
 * query issued so far is re-run through the cached repository and compared with the uncached one.
 *
 * <p>Precision = the fraction of those re-runs served from the cache (a hit equal to the
 * database): with whole-table invalidation it would be 0. Printed and appended to
 * {@code target/loom-precision.txt}.
 */
class PropertyBasedInvalidationTest {

    private static final long[] SEEDS = {11, 42, 2026};
    private static final int WRITES_PER_SEED = 25;
    private static final int QUERIES_PER_ROUND = 2;
    private static final double PRECISION_FLOOR = 0.3;
    private static final List<String> GENRES = List.of("scifi", "fantasy", "crime", "history", "poetry");
    private static final List<String> SORTABLE = List.of("title", "publishedYear", "rating", "price", "id");

    private static LoomTestUnit unit;
    private static Repository<BookView, ?, ?, Long> database;

    @BeforeAll
    static void start() {
        unit = LoomTestUnit.h2OnRedis(PropertyBasedInvalidationTest.class);
        database = ((CachedRepository<BookView, ?, ?, Long>) unit.books).delegate();
    }

    @AfterAll
    static void stop() {
        unit.close();
    }

    /** Counters of one run. */
    private static final class Tally {
        long rechecks;
        long survived;
        long stale;
        long writes;
        long queries;
        String firstStale;
    }

    @Test
    void randomWritesAndQueries_cachedResultsAlwaysEqualDatabase_andManySurviveWrites() throws IOException {
        List<Long> live = new ArrayList<>(unit.ids.books());
        Tally total = new Tally();
        StringBuilder report = new StringBuilder();
        for (long seed : SEEDS) {
            Tally tally = run(new Random(seed), live);
            String line = String.format("seed %d: writes=%d queries=%d rechecks=%d stale=%d survived=%d precision=%.3f",
                    seed, tally.writes, tally.queries, tally.rechecks, tally.stale, tally.survived,
                    (double) tally.survived / tally.rechecks);
            System.out.println("[loom-precision] " + line);
            report.append(line).append('\n');
            assertEquals(0, tally.stale, "stale cached results with seed " + seed + ", first: " + tally.firstStale);
            total.rechecks += tally.rechecks;
            total.survived += tally.survived;
        }
        double precision = (double) total.survived / total.rechecks;
        String summary = String.format("total: rechecks=%d survived=%d precision=%.3f", total.rechecks, total.survived,
                precision);
        System.out.println("[loom-precision] " + summary);
        report.append(summary).append('\n');
        Path file = Path.of("target", "loom-precision.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        assertTrue(total.rechecks > 2_000, "bounded but substantial: " + total.rechecks);
        assertTrue(precision > PRECISION_FLOOR, "precision " + precision + " <= " + PRECISION_FLOOR);
    }

    private static Tally run(Random random, List<Long> live) {
        Tally tally = new Tally();
        List<QuerySpec> issued = new ArrayList<>();
        for (int round = 0; round < WRITES_PER_SEED; round++) {
            for (int q = 0; q < QUERIES_PER_ROUND; q++) {
                for (QuerySpec spec : issue(randomQuery(random))) {
                    issued.add(spec);
                    tally.queries++;
                }
            }
            write(random, live);
            tally.writes++;
            for (QuerySpec spec : issued) {
                recheck(spec, tally);
            }
        }
        return tally;
    }

    /** Runs a new query through the cache (caching it); a cursor query walks up to three pages. */
    private static List<QuerySpec> issue(QuerySpec spec) {
        List<QuerySpec> pages = new ArrayList<>();
        QuerySpec page = spec;
        for (int i = 0; i < 3 && page != null; i++) {
            ListResult<BookView> result = unit.books.listWithQuery(page);
            pages.add(page);
            page = result instanceof CursorResult<BookView> cursor && cursor.hasNext() ? page.after(cursor.nextCursor()) : null;
        }
        return pages;
    }

    private static void recheck(QuerySpec spec, Tally tally) {
        CacheStats before = unit.stats("book");
        ListResult<BookView> cached = unit.books.listWithQuery(spec);
        boolean hit = unit.stats("book").minus(before).hits() == 1;
        ListResult<BookView> fresh = database.listWithQuery(spec);
        tally.rechecks++;
        if (!cached.equals(fresh)) {
            tally.stale++;
            if (tally.firstStale == null) {
                tally.firstStale = spec + " hit=" + hit + "\n cached=" + cached + "\n database=" + fresh;
            }
        } else if (hit) {
            tally.survived++;
        }
    }

    // ------------------------------------------------------------------ random queries

    private static QuerySpec randomQuery(Random random) {
        List<Filter> filters = new ArrayList<>();
        List<String> fields = new ArrayList<>(List.of("genre", "publishedYear", "rating", "title", "author", "id"));
        int count = random.nextInt(3);
        for (int i = 0; i < count; i++) {
            String field = fields.remove(random.nextInt(fields.size()));
            filters.addAll(randomFilter(random, field));
        }
        List<Sort> sorts = new ArrayList<>();
        List<String> sortable = new ArrayList<>(SORTABLE);
        int sortCount = random.nextInt(3);
        for (int i = 0; i < sortCount; i++) {
            String field = sortable.remove(random.nextInt(sortable.size()));
            sorts.add(new Sort(field, random.nextBoolean() ? Direction.ASC : Direction.DESC));
        }
        Pagination pagination = random.nextInt(3) == 0
                ? CursorParams.first(List.of(4, 8).get(random.nextInt(2)))
                : PageParams.of(1 + random.nextInt(3), List.of(5, 10, 20).get(random.nextInt(3)));
        return new QuerySpec(filters, sorts, pagination);
    }

    private static List<Filter> randomFilter(Random random, String field) {
        return switch (field) {
            case "genre" -> random.nextBoolean()
                    ? List.of(new Filter(field, FilterOp.EQ, pick(random, GENRES)))
                    : List.of(new Filter(field, FilterOp.IN, List.of(pick(random, GENRES), pick(random, GENRES))));
            case "publishedYear" -> switch (random.nextInt(4)) {
                case 0 -> List.of(new Filter(field, FilterOp.EQ, randomYear(random)));
                case 1 -> List.of(new Filter(field, FilterOp.GTE, randomYear(random)));
                case 2 -> List.of(new Filter(field, FilterOp.LT, randomYear(random)));
                default -> {
                    int low = randomYear(random);
                    yield List.of(new Filter(field, FilterOp.GTE, low), new Filter(field, FilterOp.LTE, low + 15));
                }
            };
            case "rating" -> switch (random.nextInt(4)) {
                case 0 -> List.of(new Filter(field, FilterOp.EQ, random.nextInt(10) / 2.0));
                case 1 -> List.of(new Filter(field, FilterOp.IS_NULL, null));
                case 2 -> List.of(new Filter(field, FilterOp.IS_NOT_NULL, null));
                default -> List.of(new Filter(field, FilterOp.GTE, random.nextInt(10) / 2.0));
            };
            case "title" -> random.nextBoolean()
                    ? List.of(new Filter(field, FilterOp.STARTS_WITH, pick(random, List.of("Book 0", "Book 1", "Book 2",
                            "Book 3", "Book 4", "Book 5", "New", "Renamed"))))
                    : List.of(new Filter(field, FilterOp.CONTAINS, Integer.toString(random.nextInt(10))));
            case "author" -> random.nextBoolean()
                    ? List.of(new Filter(field, FilterOp.EQ, pick(random, unit.ids.authors())))
                    : List.of(new Filter(field, FilterOp.IN, List.of(pick(random, unit.ids.authors()),
                            pick(random, unit.ids.authors()))));
            case "id" -> {
                // Near the highest id, so that later inserts can enter the result.
                long top = unit.ids.books().get(unit.ids.books().size() - 1) + 40;
                yield List.of(new Filter(field, FilterOp.IN,
                        List.of(top - random.nextInt(60), top - random.nextInt(60), top - random.nextInt(60))));
            }
            default -> throw new IllegalArgumentException(field);
        };
    }

    // ------------------------------------------------------------------ random writes

    private static void write(Random random, List<Long> live) {
        int kind = random.nextInt(100);
        if (kind < 25) {
            Long[] created = new Long[1];
            unit.emf().runInTransaction(em -> {
                Book book = new Book("New " + random.nextInt(100_000), pick(random, GENRES), randomYear(random),
                        randomPrice(random), randomRating(random), null, randomAuthor(random, em), null);
                em.persist(book);
                em.flush();
                created[0] = book.getId();
            });
            live.add(created[0]);
        } else if (kind < 37 && live.size() > 30) {
            long id = live.remove(random.nextInt(live.size()));
            unit.emf().runInTransaction(em -> em.remove(em.find(Book.class, id)));
        } else {
            int rows = random.nextInt(4) == 0 ? 2 : 1;
            Set<Long> ids = new LinkedHashSet<>();
            for (int i = 0; i < rows; i++) {
                ids.add(pick(random, live));
            }
            unit.emf().runInTransaction(em -> ids.forEach(id -> update(random, em, em.find(Book.class, id))));
        }
    }

    private static void update(Random random, EntityManager em, Book book) {
        int changes = 1 + random.nextInt(2);
        for (int i = 0; i < changes; i++) {
            switch (random.nextInt(6)) {
                case 0 -> book.setTitle(random.nextBoolean() ? "Renamed " + random.nextInt(1000)
                        : String.format("Book %02d", random.nextInt(80)));
                case 1 -> book.setGenre(pick(random, GENRES));
                case 2 -> book.setPublishedYear(randomYear(random));
                case 3 -> book.setRating(randomRating(random));
                case 4 -> book.setPrice(randomPrice(random));
                default -> book.setAuthor(randomAuthor(random, em));
            }
        }
    }

    private static Author randomAuthor(Random random, EntityManager em) {
        return em.getReference(Author.class, pick(random, unit.ids.authors()));
    }

    private static int randomYear(Random random) {
        return 1950 + random.nextInt(70);
    }

    private static Double randomRating(Random random) {
        int r = random.nextInt(11);
        return r == 10 ? null : r / 2.0;
    }

    private static BigDecimal randomPrice(Random random) {
        return new BigDecimal(5 + random.nextInt(20) + ".99");
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
