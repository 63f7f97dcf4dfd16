package io.loom.cache.hibernate.internal;

import io.loom.cache.LoomCache;
import io.loom.cache.error.LoomException;
import io.loom.cache.invalidation.Invalidation;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/*
 * Durable invalidation: an outbox row written in the same database transaction as the change.
 *
 * Without it, a committed transaction whose bump never reaches Redis (the process dies between
 * the database commit and the bump, or it is cut off from Redis and dies before its retries
 * succeed) leaves entries that other nodes keep serving until their TTL. With it:
 *
 *   before completion  (after the final flush, inside the transaction, on the session's own JDBC
 *                       connection) INSERT one row holding the resolved invalidation: the epochs
 *                       and tags the transaction moves. It commits or rolls back with the change.
 *   after commit       the bump is published as before; once delivered, the row id is queued.
 *   every sweep        (each node, every sweepEvery) DELETE the queued ids in one statement,
 *                       then replay every row older than replayAfter (one merged bump) and delete
 *                       those rows.
 *
 * So every committed change is bumped at least once: by its own node within milliseconds, or by
 * any live node within replayAfter + sweepEvery (+ the clock skew between nodes, created_at being
 * the writer's clock) once Redis is reachable from it. A replay is idempotent in effect (it can
 * only invalidate more), so rows replayed twice or by two nodes at once do no harm.
 *
 * Rows carry the cache namespace of their writer: several deployments (each its own namespace,
 * so its own counters) may share one database and one outbox table, and a node replays and
 * deletes only its namespace's rows. close() deletes the rows this node delivered, so a clean
 * shutdown leaves only undelivered rows behind. A table from a version without namespaces gets
 * the column (default: namespace "*", whose rows every node replays, as that version did).
 *
 * The table's DDL (column types from the Dialect, as for an entity) is OutboxTable's job.
 *
 * Cost: one INSERT per write transaction (inside it, so it adds a statement round trip to the
 * commit) and, amortized, a fraction of one DELETE (batched per sweep); per node one small SELECT
 * per sweep. The table holds rows for about one sweep period in normal operation.
 */
/**
 * The {@code loom_invalidation_outbox} table of one persistence unit, and its sweeper. Thread-safe.
 */
public final class InvalidationOutbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InvalidationOutbox.class);
    /** Longest encoded invalidation kept verbatim; larger ones are kept in their coarse form. */
    static final int MAX_TEXT = Invalidation.MAX_RECORD_CHARS;
    /** Namespace of rows written before rows carried one: replayed by every node. */
    static final String LEGACY_NAMESPACE = "*";

    private final String table;
    private final String namespace;
    private final ConnectionProvider connections;
    private final LoomCache cache;
    private final Duration replayAfter;
    private final Clock clock;
    private final Queue<String> delivered = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService sweeper;
    private volatile boolean failing;

    /**
     * @param table       table name, schema-qualified when needed
     * @param namespace   cache namespace of this deployment: the rows it writes, replays and deletes
     * @param connections connections for the sweeper (outside any application transaction)
     * @param cache       the cache replays go to
     * @param replayAfter rows older than this are replayed by any node
     * @param sweepEvery  period of the sweep
     * @param clock       time source of {@code created_at} and of the age check
     */
    public InvalidationOutbox(String table, String namespace, ConnectionProvider connections, LoomCache cache,
                              Duration replayAfter, Duration sweepEvery, Clock clock) {
        this.table = table;
        this.namespace = namespace;
        this.connections = connections;
        this.cache = cache;
        this.replayAfter = replayAfter;
        this.clock = clock;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "loom-cache-outbox-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(1, sweepEvery.toMillis());
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, 0, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Creates the table when missing, with column types named by the factory's Dialect, and the
     * index of the replay query when missing.
     *
     * @throws OutboxException when the table is missing and cannot be created, or exists without
     *         the columns this version writes
     */
    public static void createTable(String table, SessionFactoryImplementor factory, ConnectionProvider connections) {
        OutboxTable.create(table, factory, connections);
    }

    /**
     * Writes one row inside the session's current transaction, on its own JDBC connection.
     *
     * @return the row id, for {@link #delivered(String)}
     * @throws OutboxException when the insert fails (the listener counts it; the transaction commits
     *         without the row)
     */
    public String write(SharedSessionContractImplementor session, Invalidation invalidation) {
        String text = invalidation.encodeForRecord();
        String id = UUID.randomUUID().toString();
        Connection connection = session.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection();
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + table + " (id, namespace, created_at, invalidation) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, namespace);
            insert.setLong(3, clock.millis());
            insert.setString(4, text);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new OutboxException("cannot write to the invalidation outbox " + table, e);
        }
        return id;
    }

    /** The row's invalidation reached the cache: delete the row at the next sweep. */
    public void delivered(String id) {
        delivered.add(id);
    }

    /** How old a row is before any node replays it. */
    public Duration replayAfter() {
        return replayAfter;
    }

    /** The table, schema-qualified when needed. */
    public String table() {
        return table;
    }

    /** Rows of this namespace currently in the table. */
    public int size() {
        try {
            return OutboxJdbc.withConnection(connections, connection -> {
                try (PreparedStatement count = connection.prepareStatement(
                        "SELECT COUNT(*) FROM " + table + " WHERE namespace = ?")) {
                    count.setString(1, namespace);
                    try (ResultSet rows = count.executeQuery()) {
                        rows.next();
                        return rows.getInt(1);
                    }
                }
            });
        } catch (SQLException e) {
            throw new OutboxException("cannot count the invalidation outbox " + table, e);
        }
    }

    /**
     * One sweep: deletes delivered rows, replays rows older than the replay delay and deletes them.
     *
     * @return the number of rows replayed
     * @throws OutboxException when the database fails; a failing cache leaves the rows for later
     */
    public int sweep() {
        try {
            deleteDelivered();
            int replayed = replayOld();
            if (replayed >= 0) {
                failing = false;
            }
            return Math.max(0, replayed);
        } catch (SQLException e) {
            throw new OutboxException("invalidation outbox sweep of " + table + " failed", e);
        }
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            warnOnce("Loom Cache outbox sweep failed ({}); retried every period", e.toString());
        }
    }

    /** One WARN per run of failures (database or cache), DEBUG for the repeats. */
    private void warnOnce(String message, Object detail) {
        if (failing) {
            LOG.debug(message, detail);
        } else {
            failing = true;
            LOG.warn(message, detail);
        }
    }

    /** Deletes up to 1000 delivered rows; on failure their ids stay queued. @return whether any were deleted */
    private boolean deleteDelivered() throws SQLException {
        List<String> ids = new ArrayList<>();
        while (ids.size() < 1000) {
            String id = delivered.poll();
            if (id == null) {
                break;
            }
            ids.add(id);
        }
        if (ids.isEmpty()) {
            return false;
        }
        try {
            delete(ids);
        } catch (SQLException | RuntimeException e) {
            delivered.addAll(ids);
            throw e;
        }
        return true;
    }

    private int replayOld() throws SQLException {
        long cutoff = clock.millis() - replayAfter.toMillis();
        List<String> ids = new ArrayList<>();
        Invalidation merged = new Invalidation(java.util.Set.of(), java.util.Set.of());
        for (String[] row : readOlderThan(cutoff)) {
            ids.add(row[0]);
            try {
                merged = merged.plus(Invalidation.decode(row[1]));
            } catch (Invalidation.MalformedInvalidationException e) {
                LOG.warn("Loom Cache outbox row {} is not an invalidation; deleted ({})", row[0], e.getMessage());
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        try {
            cache.deliver(merged);
        } catch (RuntimeException e) {
            warnOnce("Loom Cache could not replay undelivered outbox rows ({}); retried every period", e.toString());
            return -1;
        }
        delete(ids);
        LOG.info("Loom Cache replayed {} undelivered invalidation(s) from the outbox", ids.size());
        return ids.size();
    }

    private List<String[]> readOlderThan(long cutoff) throws SQLException {
        return OutboxJdbc.withConnection(connections, connection -> {
            List<String[]> list = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, invalidation FROM " + table + " WHERE namespace IN (?, ?) AND created_at <= ?")) {
                select.setString(1, namespace);
                select.setString(2, LEGACY_NAMESPACE);
                select.setLong(3, cutoff);
                select.setMaxRows(1000);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        list.add(new String[] {rows.getString(1), rows.getString(2)});
                    }
                }
            }
            return list;
        });
    }

    private void delete(List<String> ids) throws SQLException {
        String marks = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
        OutboxJdbc.withConnection(connections, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM " + table + " WHERE id IN (" + marks + ")")) {
                // Ids are this node's own rows or rows its replay selected.
                for (int i = 0; i < ids.size(); i++) {
                    delete.setString(i + 1, ids.get(i));
                }
                delete.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Stops the sweeper (letting a running sweep finish) and deletes every row this node delivered.
     * Rows not yet delivered stay for any node of the namespace to replay.
     */
    @Override
    public void close() {
        sweeper.shutdown();
        try {
            if (!sweeper.awaitTermination(5, TimeUnit.SECONDS)) {
                sweeper.shutdownNow();
            }
            while (deleteDelivered()) {
                // next batch
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Loom Cache outbox: {} delivered row(s) left in {}; a later node of the namespace replays "
                    + "and deletes them ({})", delivered.size(), table, e.toString());
        }
    }

    /** The outbox table could not be created, written or swept. */
    public static final class OutboxException extends LoomException {
        public OutboxException(String message, Throwable cause) {
            super(message + ": " + cause.getMessage(), cause);
        }
    }
}
