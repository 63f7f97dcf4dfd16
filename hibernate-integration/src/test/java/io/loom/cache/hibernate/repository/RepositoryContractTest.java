package io.loom.cache.hibernate.repository;

import io.loom.cache.hibernate.model.Author;
import io.loom.cache.hibernate.model.Book;
import io.loom.cache.hibernate.model.LibrarySeed;
import io.loom.cache.hibernate.model.TestDatabase;
import io.loom.cache.hibernate.model.Views.AuthorCreate;
import io.loom.cache.hibernate.model.Views.AuthorUpdate;
import io.loom.cache.hibernate.model.Views.AuthorView;
import io.loom.cache.hibernate.model.Views.BookCreate;
import io.loom.cache.hibernate.model.Views.BookUpdate;
import io.loom.cache.hibernate.model.Views.BookView;
import io.loom.cache.invalidation.RowRef;
import io.loom.cache.repository.CursorResult;
import io.loom.cache.repository.Direction;
import io.loom.cache.repository.FilterParams;
import io.loom.cache.repository.InvalidCursorException;
import io.loom.cache.repository.InvalidIdException;
import io.loom.cache.repository.InvalidPageException;
import io.loom.cache.repository.InvalidQueryException;
import io.loom.cache.repository.ListResult;
import io.loom.cache.repository.PageParams;
import io.loom.cache.repository.PageResult;
import io.loom.cache.repository.Patch;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.repository.ReadTracking.Tracked;
import io.loom.cache.repository.UnknownProfileException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The repository contract, run once per database by the subclasses. Seeded rows are never changed:
 * tests that write create their own rows and remove them again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RepositoryContractTest {

    private TestDatabase db;
    private LibrarySeed.Ids ids;
    private JpaEntityRepository<Book, BookView, BookCreate, BookUpdate, Long> books;
    private JpaEntityRepository<Author, AuthorView, AuthorCreate, AuthorUpdate, Long> authors;

    protected abstract TestDatabase openDatabase();

    @BeforeAll
    void setUp() {
        db = openDatabase();
        ids = LibrarySeed.seed(db.emf());
        books = JpaEntityRepository.builder(db.emf(), Book.class, BookView.class, BookCreate.class, BookUpdate.class, Long.class)
                .profile("with_publisher", "publisher")
                .build();
        authors = JpaEntityRepository.builder(db.emf(), Author.class, AuthorView.class, AuthorCreate.class, AuthorUpdate.class, Long.class)
                .profileFromGraph("with_books", "Author.withBooks")
                .profile("with_books_and_publishers", "books.publisher")
                .build();
    }

    @AfterAll
    void tearDown() {
        if (db != null) {
            db.close();
        }
    }

    private long bookId(int i) {
        return ids.books().get(i - 1);
    }

    private Set<Long> bookIds(IntPredicate which) {
        return IntStream.rangeClosed(1, LibrarySeed.BOOKS).filter(which).mapToObj(this::bookId).collect(Collectors.toSet());
    }

    private Set<Long> idsOf(ListResult<BookView> result) {
        return result.items().stream().map(BookView::id).collect(Collectors.toSet());
    }

    private Set<Long> query(QuerySpec.Builder builder) {
        ListResult<BookView> result = books.listWithQuery(builder.page(1, 100));
        assertFalse(result.hasNext());
        return idsOf(result);
    }

    private BookCreate newBook(String title, String genre) {
        return new BookCreate(title, genre, 2001, new BigDecimal("12.50"), 4.5, null, ids.authors().get(0), ids.publishers().get(0));
    }

    // ------------------------------------------------------------ descriptive

    @Test
    void entityNameAndOutputType_describeTheRepository() {
        assertEquals("book", books.entityName());
        assertEquals(BookView.class, books.outputType());
        assertEquals(Set.of("default", "with_books", "with_books_and_publishers"), authors.profiles());
    }

    // ------------------------------------------------------------ getById / getBy / existsBy

    @Test
    void getById_existingRow_returnsEveryFieldWithRelationIdsButNoUnloadedRelation() {
        BookView b = books.getById(bookId(3)).orElseThrow();
        assertEquals(new BookView(bookId(3), "Book 03", LibrarySeed.genreOf(3), LibrarySeed.yearOf(3), new BigDecimal("8.99"),
                LibrarySeed.ratingOf(3), "978-0-00003", ids.authors().get(3), ids.publishers().get(0), null), b);
    }

    @Test
    void getById_missingRow_returnsEmpty() {
        assertEquals(Optional.empty(), books.getById(-1L));
    }

    @Test
    void getById_nullId_throwsInvalidIdException() {
        InvalidIdException e = assertThrows(InvalidIdException.class, () -> books.getById(null));
        assertTrue(e.getMessage().contains("book"), e.getMessage());
        assertThrows(InvalidIdException.class, () -> books.update(null, BookUpdate.title("x")));
        assertThrows(InvalidIdException.class, () -> books.delete(null));
    }

    @Test
    void getById_withProfile_loadsRelation_andDefaultDoesNot() {
        long authorId = ids.authors().get(2);
        AuthorView plain = authors.getById(authorId).orElseThrow();
        assertNull(plain.books(), "default profile must not load books");

        AuthorView withBooks = authors.getById(authorId, "with_books").orElseThrow();
        assertEquals(10, withBooks.books().size());
        assertEquals(bookIds(i -> i % 6 == 2), withBooks.books().stream().map(BookView::id).collect(Collectors.toSet()));
        // only the books were in the profile: their publishers stay unloaded
        assertTrue(withBooks.books().stream().allMatch(b -> b.publisher() == null));
    }

    @Test
    void getById_nestedProfile_loadsRelationsOfRelations() {
        AuthorView a = authors.getById(ids.authors().get(1), "with_books_and_publishers").orElseThrow();
        assertEquals(10, a.books().size());
        for (BookView b : a.books()) {
            if (b.publisherId() == null) {
                assertNull(b.publisher());
            } else {
                assertNotNull(b.publisher());
                assertEquals(b.publisherId(), b.publisher().id());
            }
        }
        assertTrue(a.books().stream().anyMatch(b -> b.publisher() != null));
    }

    @Test
    void getById_toOneProfile_loadsRelatedRecord() {
        BookView b = books.getById(bookId(4), "with_publisher").orElseThrow();
        assertEquals("Publisher 1", b.publisher().name());
        assertEquals("US", b.publisher().country());
    }

    @Test
    void reads_unknownProfile_throwUnknownProfileException() {
        UnknownProfileException e = assertThrows(UnknownProfileException.class, () -> books.getById(bookId(1), "with_everything"));
        assertTrue(e.getMessage().contains("with_everything") && e.getMessage().contains("book"), e.getMessage());
        assertThrows(UnknownProfileException.class, () -> books.listWithQuery(QuerySpec.all().build(), "nope"));
        assertThrows(UnknownProfileException.class, () -> books.getBy("isbn", "978-0-00001", null));
    }

    @Test
    void getBy_uniqueField_returnsRow() {
        assertEquals(bookId(17), books.getBy("isbn", "978-0-00017").orElseThrow().id());
        assertEquals(Optional.empty(), books.getBy("isbn", "no-such-isbn"));
    }

    @Test
    void getBy_textValueForNumberField_isConverted_andSmallestIdWins() {
        int year = LibrarySeed.yearOf(1);
        long expected = bookIds(i -> LibrarySeed.yearOf(i) == year).stream().min(Long::compare).orElseThrow();
        assertEquals(expected, books.getBy("publishedYear", String.valueOf(year)).orElseThrow().id());
    }

    @Test
    void getBy_relationField_comparesTheRelatedId() {
        long authorId = ids.authors().get(4);
        assertEquals(bookId(4), books.getBy("author", authorId).orElseThrow().id());
        assertEquals(bookId(4), books.getBy("author", String.valueOf(authorId)).orElseThrow().id());
    }

    @Test
    void getBy_nullValue_matchesNull() {
        assertEquals(bookId(5), books.getBy("rating", null).orElseThrow().id());
    }

    @Test
    void getBy_unknownField_throwsNamingFieldAndEntity() {
        InvalidQueryException e = assertThrows(InvalidQueryException.class, () -> books.getBy("colour", "red"));
        assertTrue(e.getMessage().contains("'colour'") && e.getMessage().contains("'book'"), e.getMessage());
        assertThrows(InvalidQueryException.class, () -> authors.getBy("books", 1L));
    }

    @Test
    void getBy_wrongValueType_throwsInvalidQueryException() {
        InvalidQueryException e = assertThrows(InvalidQueryException.class, () -> books.getBy("publishedYear", "nineteen"));
        assertTrue(e.getMessage().contains("publishedYear") && e.getMessage().contains("nineteen"), e.getMessage());
        assertThrows(InvalidQueryException.class, () -> books.getBy("publishedYear", 1.5));
        assertThrows(InvalidQueryException.class, () -> books.existsBy("price", List.of(1)));
    }

    @Test
    void existsBy_reportsPresence() {
        assertTrue(books.existsBy("genre", "crime"));
        assertFalse(books.existsBy("genre", "poetry"));
        assertTrue(books.existsBy("publisher", null));
        assertTrue(authors.existsBy("birthYear", null));
        assertFalse(authors.existsBy("name", "Nobody"));
    }

    // ------------------------------------------------------------ offset pages

    @Test
    void listPaginated_walksAllPagesInIdOrderWithTotals() {
        List<Long> seen = new ArrayList<>();
        int[] sizes = {25, 25, 10};
        for (int page = 1; page <= 3; page++) {
            PageResult<BookView> r = books.listPaginated(new PageParams(page, 25));
            assertEquals(LibrarySeed.BOOKS, r.total());
            assertEquals(sizes[page - 1], r.items().size());
            assertEquals(page < 3, r.hasNext());
            assertEquals(page, r.page());
            assertEquals(3, r.totalPages());
            r.items().forEach(b -> seen.add(b.id()));
        }
        assertEquals(ids.books(), seen);
        PageResult<BookView> beyond = books.listPaginated(new PageParams(4, 25));
        assertEquals(List.of(), beyond.items());
        assertEquals(LibrarySeed.BOOKS, beyond.total());
        assertFalse(beyond.hasNext());
    }

    @Test
    void listPaginated_withEqualityFilters_countsOnlyMatches() {
        PageResult<BookView> r = books.listPaginated(new PageParams(1, 10), FilterParams.of("genre", "scifi").and("publisher", null));
        Set<Long> expected = bookIds(i -> i % 4 == 0 && i % 10 == 7);
        assertEquals(expected.size(), r.total());
        assertEquals(expected, idsOf(r));

        PageResult<BookView> scifi = books.listPaginated(new PageParams(2, 10), FilterParams.of("genre", "scifi"));
        assertEquals(15, scifi.total());
        assertEquals(5, scifi.items().size());
        assertFalse(scifi.hasNext());
    }

    @Test
    void listPaginated_withProfile_loadsCollectionsPerPage() {
        PageResult<AuthorView> r = authors.listPaginated(new PageParams(2, 2), "with_books");
        assertEquals(LibrarySeed.AUTHORS, r.total());
        assertEquals(List.of(ids.authors().get(2), ids.authors().get(3)), r.items().stream().map(AuthorView::id).toList());
        assertTrue(r.items().stream().allMatch(a -> a.books().size() == 10));
    }

    @Test
    void pagination_pageZeroOrLimitOverCap_throwsInvalidPageException() {
        assertThrows(InvalidPageException.class, () -> books.listPaginated(new PageParams(0, 10)));
        assertThrows(InvalidPageException.class, () -> QuerySpec.all().page(1, 0));
        InvalidPageException e = assertThrows(InvalidPageException.class, () -> books.listPaginated(new PageParams(1, 101)));
        assertTrue(e.getMessage().contains("101") && e.getMessage().contains("100"), e.getMessage());
        assertThrows(InvalidPageException.class, () -> books.listWithQuery(QuerySpec.all().first(500)));
        assertEquals(100, books.listPaginated(new PageParams(1, 100)).limit());
    }

    // ------------------------------------------------------------ operators

    @Test
    void operators_eqNeInAndNullChecks_matchTheSeededRows() {
        assertEquals(bookIds(i -> i % 4 == 1), query(QuerySpec.where("genre").eq("fantasy")));
        assertEquals(bookIds(i -> i % 4 != 1), query(QuerySpec.where("genre").ne("fantasy")));
        assertEquals(bookIds(i -> i % 4 == 1 || i % 4 == 2), query(QuerySpec.where("genre").in("fantasy", "crime", "poetry")));
        assertEquals(Set.of(), query(QuerySpec.where("genre").in(List.of())));
        assertEquals(bookIds(i -> i % 5 == 0), query(QuerySpec.where("rating").isNull()));
        assertEquals(bookIds(i -> i % 5 != 0), query(QuerySpec.where("rating").isNotNull()));
        assertEquals(bookIds(i -> i % 10 == 7), query(QuerySpec.where("publisher").isNull()));
        assertEquals(bookIds(i -> i % 3 == 2 && i % 10 != 7),
                query(QuerySpec.where("publisher").eq(String.valueOf(ids.publishers().get(2)))));
        assertEquals(bookIds(i -> i % 6 == 1 || i % 6 == 2),
                query(QuerySpec.where("author").in(ids.authors().get(1), ids.authors().get(2))));
    }

    @Test
    void operators_comparisons_matchTheSeededRows() {
        assertEquals(bookIds(i -> LibrarySeed.yearOf(i) < 1980), query(QuerySpec.where("publishedYear").lt(1980)));
        assertEquals(bookIds(i -> LibrarySeed.yearOf(i) <= 1980), query(QuerySpec.where("publishedYear").lte("1980")));
        assertEquals(bookIds(i -> LibrarySeed.yearOf(i) > 1980), query(QuerySpec.where("publishedYear").gt(1980L)));
        assertEquals(bookIds(i -> LibrarySeed.yearOf(i) >= 1980 && LibrarySeed.yearOf(i) < 2000),
                query(QuerySpec.where("publishedYear").gte(1980).and("publishedYear").lt(2000)));
        assertEquals(bookIds(i -> 5 + i % 20 + 0.99 > 20), query(QuerySpec.where("price").gt("20")));
        assertEquals(bookIds(i -> LibrarySeed.ratingOf(i) != null && LibrarySeed.ratingOf(i) >= 3.5),
                query(QuerySpec.where("rating").gte(3.5)));
    }

    @Test
    void operators_textMatching_isLiteral() {
        assertEquals(bookIds(i -> i >= 10 && i <= 19), query(QuerySpec.where("title").contains("k 1")));
        assertEquals(bookIds(i -> i < 10), query(QuerySpec.where("title").startsWith("Book 0")));
        assertEquals(Set.of(), query(QuerySpec.where("title").contains("%")));
        assertEquals(Set.of(), query(QuerySpec.where("title").startsWith("Book _1")));
    }

    @Test
    void operators_misused_throwInvalidQueryException() {
        assertThrows(InvalidQueryException.class, () -> books.listWithQuery(QuerySpec.where("publishedYear").contains("19").build()));
        assertThrows(InvalidQueryException.class, () -> books.listWithQuery(QuerySpec.where("author").gt(1).build()));
        assertThrows(InvalidQueryException.class, () -> books.listWithQuery(QuerySpec.where("genre").in("scifi", 3.5).and("nope").eq(1).build()));
        InvalidQueryException e = assertThrows(InvalidQueryException.class,
                () -> books.listWithQuery(QuerySpec.all().orderBy("colour").build()));
        assertTrue(e.getMessage().contains("'colour'") && e.getMessage().contains("'book'"), e.getMessage());
        assertThrows(InvalidQueryException.class, () -> books.listWithQuery(QuerySpec.all().orderBy("author").build()));
        assertThrows(InvalidQueryException.class, () -> books.listWithQuery(QuerySpec.where("publishedYear").gte("soon").build()));
    }

    // ------------------------------------------------------------ sorting

    @Test
    void listWithQuery_multiFieldSort_ordersByEachKeyThenId() {
        PageResult<BookView> r = (PageResult<BookView>) books.listWithQuery(
                QuerySpec.all().orderBy("genre").orderBy("publishedYear", Direction.DESC).page(1, 100));
        Comparator<BookView> order = Comparator.comparing(BookView::genre)
                .thenComparing(Comparator.comparingInt(BookView::publishedYear).reversed())
                .thenComparing(BookView::id);
        List<BookView> expected = new ArrayList<>(r.items());
        expected.sort(order);
        assertEquals(LibrarySeed.BOOKS, r.items().size());
        assertEquals(expected, r.items());
    }

    @Test
    void listWithQuery_sortOnNullableField_putsNullsFirstAscendingAndLastDescending() {
        List<BookView> asc = books.listWithQuery(QuerySpec.all().orderBy("rating").page(1, 100)).items();
        List<BookView> desc = books.listWithQuery(QuerySpec.all().orderBy("rating", Direction.DESC).page(1, 100)).items();
        assertTrue(asc.subList(0, 12).stream().allMatch(b -> b.rating() == null));
        assertTrue(desc.subList(48, 60).stream().allMatch(b -> b.rating() == null));
        assertEquals(4.5, desc.get(0).rating());
    }

    // ------------------------------------------------------------ cursor pages

    private List<Long> walk(QuerySpec first, Runnable afterFirstPage) {
        List<Long> seen = new ArrayList<>();
        QuerySpec spec = first;
        int pages = 0;
        while (true) {
            CursorResult<BookView> page = (CursorResult<BookView>) books.listWithQuery(spec);
            page.items().forEach(b -> seen.add(b.id()));
            pages++;
            assertTrue(pages <= 100, "cursor walk does not end");
            if (pages == 1) {
                afterFirstPage.run();
            }
            if (!page.hasNext()) {
                assertNull(page.nextCursor());
                return seen;
            }
            spec = spec.after(page.nextCursor());
        }
    }

    @Test
    void cursorWalk_visitsEveryRowExactlyOnceInOrder() {
        QuerySpec first = QuerySpec.all().orderBy("publishedYear", Direction.DESC).orderBy("genre").first(7);
        List<Long> seen = walk(first, () -> { });
        List<Long> all = books.listWithQuery(first.withPagination(new PageParams(1, 100))).items().stream().map(BookView::id).toList();
        assertEquals(all, seen);
        assertEquals(LibrarySeed.BOOKS, new HashSet<>(seen).size());
    }

    @Test
    void cursorWalk_onNullableSortKeyWithFilter_visitsEveryMatchOnce() {
        for (Direction d : Direction.values()) {
            List<Long> seen = walk(QuerySpec.where("genre").ne("history").orderBy("rating", d).first(4), () -> { });
            assertEquals(seen.size(), new HashSet<>(seen).size());
            assertEquals(bookIds(i -> i % 4 != 3), new HashSet<>(seen));
        }
    }

    @Test
    void cursorWalk_whileRowsAreInsertedAheadAndBehind_visitsOriginalAndAheadRowsOnce() {
        List<Long> inserted = new ArrayList<>();
        try {
            List<Long> seen = walk(QuerySpec.all().orderBy("title").first(8), () -> {
                inserted.add(books.create(newBook("Book 00 behind", "tmp")).id());
                inserted.add(books.create(newBook("Book 99 ahead", "tmp")).id());
                inserted.add(books.create(newBook("Book 30 ahead", "tmp")).id());
            });
            Set<Long> expected = new HashSet<>(ids.books());
            expected.add(inserted.get(1));
            expected.add(inserted.get(2));
            assertEquals(seen.size(), new HashSet<>(seen).size(), "a row was visited twice");
            assertEquals(expected, new HashSet<>(seen));
        } finally {
            inserted.forEach(books::delete);
        }
    }

    @Test
    void cursor_tamperedOrGarbage_throwsInvalidCursorException() {
        QuerySpec first = QuerySpec.all().orderBy("title").first(5);
        String cursor = ((CursorResult<BookView>) books.listWithQuery(first)).nextCursor();
        assertTrue(cursor.matches("[A-Za-z0-9_-]+"), cursor);
        char[] chars = cursor.toCharArray();
        chars[chars.length / 2] = chars[chars.length / 2] == 'A' ? 'B' : 'A';
        String tampered = new String(chars);
        assertThrows(InvalidCursorException.class, () -> books.listWithQuery(first.after(tampered)));
        assertThrows(InvalidCursorException.class, () -> books.listWithQuery(first.after("not a cursor!")));
        assertThrows(InvalidCursorException.class, () -> books.listWithQuery(first.after("AAAA")));
        assertThrows(InvalidCursorException.class, () -> books.normalize(first.after(tampered)));
    }

    @Test
    void cursor_fromAnotherQueryOrEntity_throwsInvalidCursorException() {
        String byTitle = ((CursorResult<BookView>) books.listWithQuery(QuerySpec.all().orderBy("title").first(5))).nextCursor();
        InvalidCursorException e = assertThrows(InvalidCursorException.class,
                () -> books.listWithQuery(QuerySpec.all().orderBy("title", Direction.DESC).after(byTitle, 5)));
        assertTrue(e.getMessage().contains("different query"), e.getMessage());
        assertThrows(InvalidCursorException.class,
                () -> books.listWithQuery(QuerySpec.where("genre").eq("scifi").orderBy("title").after(byTitle, 5)));
        String authorCursor = ((CursorResult<AuthorView>) authors.listWithQuery(QuerySpec.all().first(2))).nextCursor();
        assertThrows(InvalidCursorException.class, () -> books.listWithQuery(QuerySpec.all().after(authorCursor, 2)));
        // the same query with another page size accepts it
        assertEquals(5, books.listWithQuery(QuerySpec.all().orderBy("title").after(byTitle, 5)).items().size());
    }

    // ------------------------------------------------------------ writes

    @Test
    void createAndDelete_roundTrip() {
        BookView created = books.create(new BookCreate("Fresh", "tmp", 2020, new BigDecimal("9.99"), null, "isbn-fresh",
                ids.authors().get(1), null));
        try {
            assertNotNull(created.id());
            assertEquals(Optional.of(created), books.getById(created.id()));
            assertEquals(ids.authors().get(1), created.authorId());
            assertNull(created.publisherId());
            assertTrue(books.existsBy("isbn", "isbn-fresh"));
        } finally {
            assertTrue(books.delete(created.id()));
        }
        assertFalse(books.delete(created.id()));
        assertEquals(Optional.empty(), books.getById(created.id()));
    }

    @Test
    void update_partial_leavesUnsetFieldsIntact_andPatchClearsFields() {
        BookView created = books.create(newBook("Before", "tmp"));
        try {
            BookView renamed = books.update(created.id(), BookUpdate.title("After")).orElseThrow();
            assertEquals(new BookView(created.id(), "After", created.genre(), created.publishedYear(), created.price(),
                    created.rating(), created.isbn(), created.authorId(), created.publisherId(), null), renamed);

            BookView cleared = books.update(created.id(), new BookUpdate(null, null, 1999, null, Patch.toNull(), null,
                    ids.authors().get(3), Patch.toNull())).orElseThrow();
            assertEquals("After", cleared.title());
            assertEquals(1999, cleared.publishedYear());
            assertNull(cleared.rating());
            assertNull(cleared.publisherId());
            assertEquals(ids.authors().get(3), cleared.authorId());
            assertEquals(Optional.of(cleared), books.getById(created.id()));

            BookView repointed = books.update(created.id(), new BookUpdate(null, null, null, null, Patch.of(2.5), null, null,
                    Patch.of(ids.publishers().get(1)))).orElseThrow();
            assertEquals(2.5, repointed.rating());
            assertEquals(ids.publishers().get(1), repointed.publisherId());
        } finally {
            books.delete(created.id());
        }
        assertEquals(Optional.empty(), books.update(created.id(), BookUpdate.title("ghost")));
    }

    @Test
    void update_onAuthor_patchesNullableInteger() {
        AuthorView a = authors.create(new AuthorCreate("Temp Author", 1950));
        try {
            assertEquals(1950, authors.update(a.id(), new AuthorUpdate(null, null)).orElseThrow().birthYear());
            assertNull(authors.update(a.id(), new AuthorUpdate(null, Patch.toNull())).orElseThrow().birthYear());
            assertEquals("Temp Author", authors.getById(a.id()).orElseThrow().name());
        } finally {
            authors.delete(a.id());
        }
    }

    // ------------------------------------------------------------ transactions

    @Test
    void inTransaction_joinsCallsAndCommitsTogether() {
        long id = books.inTransaction(em -> {
            BookView b = books.create(newBook("Joined", "tmp"));
            // the same persistence context: the uncommitted row is visible to the next call
            assertEquals("Joined", books.getBy("title", "Joined").orElseThrow().title());
            books.update(b.id(), BookUpdate.title("Joined twice"));
            return b.id();
        });
        try {
            assertEquals("Joined twice", books.getById(id).orElseThrow().title());
        } finally {
            books.delete(id);
        }
    }

    @Test
    void inTransaction_failure_rollsBackEveryJoinedCall() {
        assertThrows(IllegalStateException.class, () -> JpaTransactions.inTransaction(db.emf(), em -> {
            books.create(newBook("Rolled back", "tmp"));
            books.delete(bookId(1));
            throw new IllegalStateException("abort");
        }));
        assertFalse(books.existsBy("title", "Rolled back"));
        assertTrue(books.getById(bookId(1)).isPresent());
    }

    @Test
    void joining_callerEntityManager_usesItsTransaction() {
        var em = db.emf().createEntityManager();
        try {
            em.getTransaction().begin();
            BookView b = JpaTransactions.joining(em, () -> books.create(newBook("Caller managed", "tmp")));
            assertTrue(em.contains(em.find(Book.class, b.id())));
            em.getTransaction().rollback();
            assertEquals(Optional.empty(), books.getById(b.id()));
        } finally {
            em.close();
        }
    }

    @Test
    void defaultProfile_inJoinedTransaction_ignoresRelationsLoadedEarlier() {
        BookView[] views = books.inTransaction(em -> {
            em.find(Book.class, bookId(4)).getPublisher().getName();      // publisher now initialized in the context
            return new BookView[] {books.getById(bookId(4)).orElseThrow(),
                    books.getById(bookId(4), "with_publisher").orElseThrow()};
        });
        assertNull(views[0].publisher(), "the default profile output must not depend on the persistence context");
        assertEquals("Publisher 1", views[1].publisher().name());
    }

    // ------------------------------------------------------------ configuration

    record Unmappable(Long id, String colour) {
    }

    @Test
    void builder_mapperOverride_receivesTheProfile() {
        var names = JpaEntityRepository.builder(db.emf(), Author.class, String.class, AuthorCreate.class, AuthorUpdate.class, Long.class)
                .profile("with_books", "books")
                .mapper((Author a, String profile) -> profile.equals("with_books") ? a.getName() + ":" + a.getBooks().size() : a.getName())
                .build();
        assertEquals("Author 1", names.getById(ids.authors().get(1)).orElseThrow());
        assertEquals("Author 1:10", names.getById(ids.authors().get(1), "with_books").orElseThrow());
    }

    @Test
    void builder_invalidDefinition_throwsNamingTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JpaEntityRepository
                .builder(db.emf(), Book.class, Unmappable.class, BookCreate.class, BookUpdate.class, Long.class).build());
        assertTrue(e.getMessage().contains("colour"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> JpaEntityRepository
                .builder(db.emf(), Book.class, BookView.class, BookCreate.class, BookUpdate.class, Long.class)
                .profile("bad", "publisher.books").build());
        assertTrue(e.getMessage().contains("books"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JpaEntityRepository
                .builder(db.emf(), Book.class, BookView.class, BookCreate.class, BookUpdate.class, String.class).build());
        assertThrows(IllegalArgumentException.class, () -> JpaEntityRepository
                .builder(db.emf(), Book.class, BookView.class, BookCreate.class, BookUpdate.class, Long.class).profile("default", "author"));
    }

    // ------------------------------------------------------------ tracking

    @Test
    void tracked_getById_reportsOnlyTheRow() {
        Tracked<Optional<BookView>> t = books.tracked(() -> books.getById(bookId(2)));
        assertEquals(bookId(2), t.value().orElseThrow().id());
        assertEquals(Set.of(new RowRef("book", String.valueOf(bookId(2)))), t.rows());
    }

    @Test
    void tracked_profile_reportsRelatedRows() {
        long authorId = ids.authors().get(2);
        Tracked<Optional<AuthorView>> t = authors.tracked(() -> authors.getById(authorId, "with_books"));
        Set<RowRef> expected = new HashSet<>();
        expected.add(new RowRef("author", String.valueOf(authorId)));
        bookIds(i -> i % 6 == 2).forEach(id -> expected.add(new RowRef("book", String.valueOf(id))));
        assertEquals(expected, t.rows());

        Tracked<Optional<BookView>> withPublisher = books.tracked(() -> books.getById(bookId(4), "with_publisher"));
        assertEquals(Set.of(new RowRef("book", String.valueOf(bookId(4))),
                new RowRef("publisher", String.valueOf(ids.publishers().get(1)))), withPublisher.rows());
    }

    @Test
    void tracked_listPage_reportsThePageRows_andNestedReadsReportToBoth() {
        Tracked<Tracked<ListResult<BookView>>> outer = books.tracked(() -> {
            books.getById(bookId(60));
            return books.tracked(() -> books.listWithQuery(QuerySpec.where("genre").eq("crime").page(1, 5)));
        });
        Set<RowRef> page = outer.value().value().items().stream()
                .map(b -> new RowRef("book", String.valueOf(b.id()))).collect(Collectors.toSet());
        assertEquals(5, page.size());
        assertEquals(page, outer.value().rows());
        Set<RowRef> all = new HashSet<>(page);
        all.add(new RowRef("book", String.valueOf(bookId(60))));
        assertEquals(all, outer.rows());
    }

    @Test
    void tracked_concurrentReadsOnManyThreads_eachSeeOnlyTheirOwnRows() throws Exception {
        int threads = 4;
        int iterations = 40;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    int checked = 0;
                    for (int n = 0; n < iterations; n++) {
                        int i = 1 + (thread * iterations + n) % LibrarySeed.BOOKS;
                        Tracked<Optional<BookView>> r = books.tracked(() -> books.getById(bookId(i)));
                        assertEquals(Set.of(new RowRef("book", String.valueOf(bookId(i)))), r.rows());
                        assertEquals(bookId(i), r.value().orElseThrow().id());
                        checked++;
                    }
                    return checked;
                }));
            }
            for (var f : futures) {
                assertEquals(iterations, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------ statement counts

    private org.hibernate.stat.Statistics statistics() {
        org.hibernate.stat.Statistics s = db.emf().unwrap(org.hibernate.SessionFactory.class).getStatistics();
        s.clear();
        return s;
    }

    @Test
    void profile_getById_fetchesTheRelationInTheSameStatement() {
        org.hibernate.stat.Statistics s = statistics();
        assertEquals(10, authors.getById(ids.authors().get(0), "with_books").orElseThrow().books().size());
        assertEquals(1, s.getPrepareStatementCount());
    }

    @Test
    void profile_listPage_loadsRelationsWithAConstantNumberOfStatements() {
        org.hibernate.stat.Statistics s = statistics();
        PageResult<AuthorView> r = authors.listPaginated(new PageParams(1, 6), "with_books_and_publishers");
        assertEquals(60, r.items().stream().mapToInt(a -> a.books().size()).sum());
        assertEquals(3, s.getPrepareStatementCount(), "count, page and one graph query");

        s.clear();
        books.listPaginated(new PageParams(1, 60));
        assertEquals(2, s.getPrepareStatementCount(), "the default profile loads no relation");
    }

    // ------------------------------------------------------------ normalize

    @Test
    void normalize_convertsValues_andEqualQueriesNormalizeEqual() {
        QuerySpec a = books.normalize(QuerySpec.where("publishedYear").gte("1990").and("genre").eq("scifi").page(1, 20));
        QuerySpec b = books.normalize(QuerySpec.where("genre").eq("scifi").and("publishedYear").gte(1990L).page(1, 20));
        assertEquals(a, b);
        assertEquals(a.canonical(), b.canonical());
        assertInstanceOf(Integer.class, a.filters().stream().filter(f -> f.field().equals("publishedYear")).findFirst().orElseThrow().value());
        QuerySpec other = books.normalize(QuerySpec.where("genre").eq("scifi").and("publishedYear").gte(1991).page(1, 20));
        assertNotEquals(a.canonical(), other.canonical());
        assertThrows(InvalidQueryException.class, () -> books.normalize(QuerySpec.where("nope").eq(1).build()));
        assertThrows(InvalidPageException.class, () -> books.normalize(QuerySpec.all().page(1, 1000)));
    }

    @Test
    void normalize_filterParams_convertsValuesAndKeepsNulls() {
        FilterParams normalized = books.normalize(FilterParams.of("publishedYear", "1990").and("author", 3).and("rating", null));
        assertEquals(FilterParams.of("publishedYear", 1990).and("author", 3L).and("rating", null), normalized);
        assertThrows(InvalidQueryException.class, () -> books.normalize(FilterParams.of("colour", "red")));
        assertThrows(InvalidQueryException.class, () -> books.normalize(FilterParams.of("price", "cheap")));
    }
}
