package io.loom.cache.benchmarks;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/**
 * The benchmark entity, mapped to {@link BenchDatabase#TABLE}. Cacheable with {@code READ_WRITE}
 * so the Hibernate second-level-cache anchor caches it; readers without a cache ignore that.
 * Not thread-safe (a managed entity).
 */
@Entity(name = "BenchBook")
@Table(name = BenchDatabase.TABLE)
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class BenchBook {

    @Id
    private long id;

    @Column(nullable = false, length = 32)
    private String category;

    @Column(nullable = false, length = 64)
    private String title;

    @Column(nullable = false, length = 256)
    private String body;

    @Column(nullable = false)
    private long revision;

    protected BenchBook() {
    }

    public long getId() {
        return id;
    }

    public String getCategory() {
        return category;
    }

    public String getTitle() {
        return title;
    }

    public String getBody() {
        return body;
    }

    public long getRevision() {
        return revision;
    }

    /** Increments the counter column: the committed update of the benchmarks. */
    public void bumpRevision() {
        revision++;
    }

    /** A detached value copy. */
    public BookRow toRow() {
        return new BookRow(id, category, title, body, revision);
    }

    /**
     * The committed update every implementation runs: {@code revision + 1} on one row, in its own
     * transaction.
     *
     * @throws BenchException if the row does not exist
     */
    static void bumpRevision(jakarta.persistence.EntityManagerFactory emf, long id) {
        emf.runInTransaction(em -> {
            BenchBook book = em.find(BenchBook.class, id);
            if (book == null) {
                throw new BenchException("no row with id " + id + " in " + BenchDatabase.TABLE);
            }
            book.bumpRevision();
        });
    }
}
