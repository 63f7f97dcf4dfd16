package io.loom.cache.hibernate.repository;

import io.loom.cache.hibernate.model.Author;
import io.loom.cache.hibernate.model.Book;
import io.loom.cache.hibernate.model.LibrarySeed;
import io.loom.cache.hibernate.model.Shelf;
import io.loom.cache.hibernate.model.ShelfItem;
import io.loom.cache.hibernate.model.TestDatabase;
import io.loom.cache.hibernate.model.Views.AuthorCreate;
import io.loom.cache.hibernate.model.Views.AuthorUpdate;
import io.loom.cache.hibernate.model.Views.AuthorView;
import io.loom.cache.hibernate.model.Views.BookCreate;
import io.loom.cache.hibernate.model.Views.BookUpdate;
import io.loom.cache.hibernate.model.Views.BookView;
import io.loom.cache.hibernate.model.Views.ShelfItemCreate;
import io.loom.cache.hibernate.model.Views.ShelfItemUpdate;
import io.loom.cache.hibernate.model.Views.ShelfItemView;
import io.loom.cache.invalidation.RowRef;
import io.loom.cache.repository.CursorResult;
import io.loom.cache.repository.Direction;
import io.loom.cache.repository.InvalidCursorException;
import io.loom.cache.repository.PageParams;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.repository.ReadTracking.Tracked;
import org.hibernate.SessionFactory;
import org.hibernate.dialect.NullOrdering;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a cache miss costs the database, run once per database by the subclasses: the ORDER BY an
 * index can serve (no null precedence on keys that cannot be null), keyset paging consistent with
 * it, and reads that complete no transaction. Seeded rows are never changed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReadPathTest {

    private static final int SHELF_ITEMS = 23;
    private static final Pattern NULLS_FIRST = Pattern.compile("rating( asc)? nulls first");
    private static final Pattern NULLS_LAST = Pattern.compile("rating desc nulls last");

    private final SqlCapture sql = new SqlCapture();
    private TestDatabase db;
    private List<BookView> allBooks;
    private JpaEntityRepository<Book, BookView, BookCreate, BookUpdate, Long> books;
    private JpaEntityRepository<Author, AuthorView, AuthorCreate, AuthorUpdate, Long> authors;
    private JpaEntityRepository<ShelfItem, ShelfItemView, ShelfItemCreate, ShelfItemUpdate, Long> shelfItems;
    private LibrarySeed.Ids ids;

    protected abstract TestDatabase openDatabase(Map<String, ?> properties);

    @BeforeAll
    void setUp() {
        db = openDatabase(Map.of(SqlCapture.SETTING, sql, "hibernate.generate_statistics", "true"));
        ids = LibrarySeed.seed(db.emf());
        db.emf().runInTransaction(em -> {
            Shelf shelf = new Shelf(1L, "Shelf 1");
            for (int i = 0; i < SHELF_ITEMS; i++) {
                shelf.add("Item " + (char) ('a' + (i * 7) % SHELF_ITEMS), i % 5);
            }
            em.persist(shelf);
        });
        books = JpaEntityRepository.builder(db.emf(), Book.class, BookView.class, BookCreate.class, BookUpdate.class, Long.class)
                .profile("with_publisher", "publisher")
                .build();
        authors = JpaEntityRepository.builder(db.emf(), Author.class, AuthorView.class, AuthorCreate.class, AuthorUpdate.class, Long.class)
                .profile("with_books_and_publishers", "books.publisher")
                .build();
        shelfItems = JpaEntityRepository.builder(db.emf(), ShelfItem.class, ShelfItemView.class, ShelfItemCreate.class,
                ShelfItemUpdate.class, Long.class).build();
        allBooks = books.listPaginated(new PageParams(1, 100)).items();
    }

    @AfterAll
    void tearDown() {
        if (db != null) {
            db.close();
        }
    }

    // ------------------------------------------------------------ order by

    @Test
    void model_nullability_comesFromTheMapping() {
        EntityModel.Registry registry = new EntityModel.Registry(db.emf());
        EntityModel book = registry.of(Book.class);
        assertFalse(book.id().nullable(), "id");
        assertFalse(book.find("title").nullable(), "@Column(nullable = false)");
        assertFalse(book.find("publishedYear").nullable(), "primitive");
        assertTrue(book.find("rating").nullable());
        assertTrue(book.find("isbn").nullable());
        assertFalse(registry.of(ShelfItem.class).find("label").nullable(), "@Basic(optional = false)");
    }

    @Test
    void sortOnNotNullColumns_emitsNoNullPrecedence() {
        List<QuerySpec> specs = List.of(
                QuerySpec.where("genre").eq("crime").orderBy("title").first(5),
                QuerySpec.where("genre").eq("crime").orderBy("title", Direction.DESC).first(5),
                QuerySpec.all().orderBy("publishedYear", Direction.DESC).orderBy("genre").page(2, 10),
                QuerySpec.all().orderBy("id", Direction.DESC).first(5),
                QuerySpec.all().first(5));
        for (QuerySpec spec : specs) {
            sql.clear();
            assertEquals(spec.pagination().limit(), books.listWithQuery(spec).items().size());
            String orderBy = sql.orderByClause();
            assertFalse(orderBy.contains("nulls"), spec.canonical() + " -> " + orderBy);
        }
        sql.clear();
        shelfItems.listWithQuery(QuerySpec.all().orderBy("label").orderBy("position", Direction.DESC).first(5));
        assertFalse(sql.orderByClause().contains("nulls"), sql.orderByClause());
    }

    /**
     * Hibernate leaves out a null precedence the database applies anyway (H2 sorts nulls as the
     * smallest value); elsewhere (PostgreSQL sorts them as the greatest) it must be in the SQL.
     */
    @Test
    void sortOnNullableColumn_keepsNullsFirstAscendingAndLastDescending() {
        boolean explicit = db.emf().unwrap(SessionFactoryImplementor.class).getJdbcServices().getDialect()
                .getNullOrdering() != NullOrdering.SMALLEST;
        sql.clear();
        List<BookView> asc = books.listWithQuery(QuerySpec.all().orderBy("rating").orderBy("title").page(1, 100)).items();
        String ascOrder = sql.orderByClause();
        assertEquals(explicit, NULLS_FIRST.matcher(ascOrder).find(), ascOrder);
        assertFalse(ascOrder.contains("title nulls") || ascOrder.contains("title asc nulls"), ascOrder);

        sql.clear();
        List<BookView> desc = books.listWithQuery(QuerySpec.all().orderBy("rating", Direction.DESC).page(1, 100)).items();
        String descOrder = sql.orderByClause();
        assertEquals(explicit, NULLS_LAST.matcher(descOrder).find(), descOrder);

        assertEquals(sorted(byRating(Direction.ASC).thenComparing(BookView::title)), asc);
        assertEquals(sorted(byRating(Direction.DESC).thenComparing(BookView::id)), desc);
    }

    // ------------------------------------------------------------ keyset paging

    @Test
    void cursorWalk_overNotNullAndNullableKeys_returnsEveryRowOnceInOrder() {
        for (Direction d : Direction.values()) {
            for (Direction e : Direction.values()) {
                assertWalk(QuerySpec.all().orderBy("title", d), byTitle(d));
                assertWalk(QuerySpec.all().orderBy("rating", d).orderBy("title", e), byRating(d).thenComparing(byTitle(e)));
                assertWalk(QuerySpec.all().orderBy("genre", d).orderBy("rating", e),
                        byGenre(d).thenComparing(byRating(e)).thenComparing(BookView::id));
                assertWalk(QuerySpec.all().orderBy("publishedYear", d).orderBy("rating", e).orderBy("id", d),
                        byYear(d).thenComparing(byRating(e)).thenComparing(byId(d)));
                assertWalk(QuerySpec.all().orderBy("id", d).orderBy("rating", e), byId(d));
            }
        }
    }

    @Test
    void cursorWalk_withFilterOnNotNullKey_visitsEveryMatchOnceInOrder() {
        for (Direction d : Direction.values()) {
            List<BookView> seen = walk(QuerySpec.where("genre").eq("crime").orderBy("title", d).first(3));
            List<BookView> expected = allBooks.stream().filter(b -> b.genre().equals("crime")).sorted(byTitle(d)).toList();
            assertEquals(expected, seen);
        }
    }

    @Test
    void cursor_withNullForANotNullKey_throwsInvalidCursorException() {
        QuerySpec spec = books.normalize(QuerySpec.all().orderBy("title").first(5));
        CursorCodec codec = new CursorCodec(books.entityName(), null);
        String noTitle = codec.encode(spec.shapeCanonical(), Arrays.asList(null, String.valueOf(ids.books().get(0))));
        InvalidCursorException e = assertThrows(InvalidCursorException.class, () -> books.listWithQuery(spec.after(noTitle)));
        assertTrue(e.getMessage().contains("'title'"), e.getMessage());
        String noId = codec.encode(spec.shapeCanonical(), Arrays.asList("Book 01", null));
        assertThrows(InvalidCursorException.class, () -> books.listWithQuery(spec.after(noId)));
    }

    private void assertWalk(QuerySpec.Builder order, Comparator<BookView> expectedOrder) {
        QuerySpec spec = order.first(7);
        assertEquals(sorted(expectedOrder), walk(spec), spec.canonical());
    }

    private List<BookView> walk(QuerySpec first) {
        List<BookView> seen = new ArrayList<>();
        Set<Long> distinct = new HashSet<>();
        QuerySpec spec = first;
        for (int pages = 1; ; pages++) {
            assertTrue(pages <= 100, "cursor walk does not end");
            CursorResult<BookView> page = (CursorResult<BookView>) books.listWithQuery(spec);
            for (BookView b : page.items()) {
                assertTrue(distinct.add(b.id()), "row " + b.id() + " visited twice by " + first.canonical());
                seen.add(b);
            }
            if (!page.hasNext()) {
                return seen;
            }
            spec = spec.after(page.nextCursor());
        }
    }

    private List<BookView> sorted(Comparator<BookView> order) {
        List<BookView> out = new ArrayList<>(allBooks);
        out.sort(order);
        return out;
    }

    private static <T extends Comparable<? super T>> Comparator<BookView> by(Function<BookView, T> key, Direction d) {
        Comparator<BookView> c = Comparator.comparing(key, Comparator.nullsFirst(Comparator.<T>naturalOrder()));
        return d == Direction.ASC ? c : c.reversed();
    }

    private static Comparator<BookView> byTitle(Direction d) {
        return by(BookView::title, d);
    }

    private static Comparator<BookView> byGenre(Direction d) {
        return by(BookView::genre, d);
    }

    private static Comparator<BookView> byRating(Direction d) {
        return by(BookView::rating, d);
    }

    private static Comparator<BookView> byYear(Direction d) {
        return by(BookView::publishedYear, d);
    }

    private static Comparator<BookView> byId(Direction d) {
        return by(BookView::id, d);
    }

    // ------------------------------------------------------------ transactions

    private Statistics statistics() {
        Statistics s = db.emf().unwrap(SessionFactory.class).getStatistics();
        s.clear();
        return s;
    }

    @Test
    void reads_withoutBoundUnitOfWork_completeNoTransaction() {
        long bookId = ids.books().get(3);
        Statistics s = statistics();
        assertEquals(bookId, books.getById(bookId).orElseThrow().id());
        assertEquals(0, s.getTransactionCount(), "getById");
        assertEquals(10, books.listPaginated(new PageParams(1, 10)).items().size());
        assertEquals(0, s.getTransactionCount(), "offset page with its count");
        assertEquals(5, books.listWithQuery(QuerySpec.where("genre").eq("crime").orderBy("title").first(5)).items().size());
        assertEquals(0, s.getTransactionCount(), "cursor page");
        assertTrue(books.existsBy("genre", "crime"));
        assertTrue(books.getBy("isbn", "978-0-00004").isPresent());
        assertEquals(0, s.getTransactionCount(), "existsBy and getBy");
        assertTrue(s.getPrepareStatementCount() >= 6, "the reads ran their statements");
    }

    @Test
    void read_withSeveralStatements_takesOneConnection() {
        Statistics s = statistics();
        authors.listPaginated(new PageParams(1, 3), "with_books_and_publishers");
        assertEquals(3, s.getPrepareStatementCount(), "count, page and the profile's graph query");
        assertEquals(1, s.getConnectCount());
        assertEquals(0, s.getTransactionCount());
    }

    @Test
    void reads_withoutTransaction_loadProfilesBeforeTheEntityManagerCloses_andTrackTheirRows() {
        Statistics s = statistics();
        Tracked<Optional<BookView>> book = books.tracked(() -> books.getById(ids.books().get(3), "with_publisher"));
        assertNotNull(book.value().orElseThrow().publisher());
        assertEquals(Set.of(new RowRef("book", String.valueOf(ids.books().get(3))),
                new RowRef("publisher", String.valueOf(ids.publishers().get(1)))), book.rows());

        List<AuthorView> page = authors.listPaginated(new PageParams(1, 3), "with_books_and_publishers").items();
        assertEquals(30, page.stream().mapToInt(a -> a.books().size()).sum());
        assertTrue(page.stream().flatMap(a -> a.books().stream())
                .allMatch(b -> (b.publisherId() == null) == (b.publisher() == null)));
        assertEquals(0, s.getTransactionCount());
    }

    @Test
    void writes_andReadsInABoundUnitOfWork_completeOneTransactionEach() {
        Statistics s = statistics();
        BookView created = books.create(new BookCreate("Counted", "tmp", 2001, new BigDecimal("1.00"), null, null,
                ids.authors().get(0), null));
        try {
            assertEquals(1, s.getTransactionCount(), "create");
            books.update(created.id(), BookUpdate.title("Counted twice"));
            assertEquals(2, s.getTransactionCount(), "update");
            assertEquals("Counted twice", books.inTransaction(em -> books.getById(created.id()).orElseThrow().title()));
            assertEquals(3, s.getTransactionCount(), "a read joining a unit of work");
        } finally {
            assertTrue(books.delete(created.id()));
        }
        assertEquals(4, s.getTransactionCount(), "delete");
        assertEquals(4, s.getSuccessfulTransactionCount());
    }
}
