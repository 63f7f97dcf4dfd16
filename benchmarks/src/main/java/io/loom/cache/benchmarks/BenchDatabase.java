package io.loom.cache.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.loom.cache.hibernate.LoomHibernateSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark table in PostgreSQL: creates and seeds it idempotently, reads rows back over
 * plain JDBC (used to fill the raw-Redis floor), and builds the HikariCP pools the Hibernate
 * readers use. Stateless and thread-safe; every method throws {@link BenchException} on SQL errors.
 */
public final class BenchDatabase {

    /** The benchmarks' own table name; nothing else uses it. */
    public static final String TABLE = "loom_bench_book";

    private static final String LIST_SQL = "SELECT id, category, title, body, revision FROM " + TABLE
            + " WHERE category = ? ORDER BY title LIMIT ?";

    private BenchDatabase() {
    }

    /**
     * Creates {@link #TABLE} and its (category, title) index if missing and makes it hold exactly
     * rows 1..{@link BenchSettings#ROWS}; an existing complete table is left as it is (revisions
     * bumped by earlier runs stay). Then vacuums it and Loom's outbox table.
     */
    public static void ensureSeeded(BenchSettings settings) {
        try (Connection c = connect(settings); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id BIGINT PRIMARY KEY, "
                    + "category VARCHAR(32) NOT NULL, title VARCHAR(64) NOT NULL, "
                    + "body VARCHAR(256) NOT NULL, revision BIGINT NOT NULL)");
            s.execute("CREATE INDEX IF NOT EXISTS " + TABLE + "_category_title ON " + TABLE
                    + " (category, title)");
            boolean complete;
            try (ResultSet rs = s.executeQuery("SELECT count(*), coalesce(min(id), 0), coalesce(max(id), 0) FROM " + TABLE)) {
                rs.next();
                complete = rs.getLong(1) == BenchSettings.ROWS && rs.getLong(2) == 1 && rs.getLong(3) == BenchSettings.ROWS;
            }
            if (!complete) {
                s.execute("TRUNCATE " + TABLE);
                insertAll(c);
                s.execute("ANALYZE " + TABLE);
            }
            vacuum(s);
        } catch (SQLException e) {
            throw new BenchException("cannot seed " + TABLE + " at " + settings.jdbcUrl(), e);
        }
    }

    /*
     * Each trial starts from vacuumed tables: every committed update leaves a dead row version in
     * the table (and one in Loom's outbox table), and on a server whose autovacuum is off or behind
     * each trial would otherwise run slower than the one before it.
     */
    private static void vacuum(Statement s) throws SQLException {
        s.execute("VACUUM " + TABLE);
        boolean outbox;
        try (ResultSet rs = s.executeQuery(
                "SELECT to_regclass('" + LoomHibernateSettings.DEFAULT_OUTBOX_TABLE + "') IS NOT NULL")) {
            rs.next();
            outbox = rs.getBoolean(1);
        }
        if (outbox) {
            s.execute("VACUUM " + LoomHibernateSettings.DEFAULT_OUTBOX_TABLE);
        }
    }

    private static void insertAll(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE
                + " (id, category, title, body, revision) VALUES (?, ?, ?, ?, ?)")) {
            for (long id = 1; id <= BenchSettings.ROWS; id++) {
                BookRow row = BookRow.seeded(id);
                ps.setLong(1, row.id());
                ps.setString(2, row.category());
                ps.setString(3, row.title());
                ps.setString(4, row.body());
                ps.setLong(5, row.revision());
                ps.addBatch();
                if (id % 1_000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        c.commit();
        c.setAutoCommit(true);
    }

    /** Every row, ordered by id. */
    public static List<BookRow> readAll(BenchSettings settings) {
        try (Connection c = connect(settings); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, category, title, body, revision FROM " + TABLE + " ORDER BY id")) {
            List<BookRow> rows = new ArrayList<>(BenchSettings.ROWS);
            while (rs.next()) {
                rows.add(row(rs));
            }
            return rows;
        } catch (SQLException e) {
            throw new BenchException("cannot read " + TABLE, e);
        }
    }

    /** The list scenario's result, computed by PostgreSQL: rows of {@code category} by title. */
    public static List<BookRow> readList(BenchSettings settings, String category, int limit) {
        try (Connection c = connect(settings); PreparedStatement ps = c.prepareStatement(LIST_SQL)) {
            ps.setString(1, category);
            ps.setInt(2, limit);
            List<BookRow> rows = new ArrayList<>(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new BenchException("cannot list " + TABLE + " for category " + category, e);
        }
    }

    /** A HikariCP pool sized for {@code maxThreads} concurrent benchmark threads (and the warm-up's). */
    public static HikariDataSource pool(BenchSettings settings, String name, int maxThreads) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.jdbcUser());
        int size = Math.max(maxThreads, Warmer.THREADS) + 2;
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        return new HikariDataSource(config);
    }

    private static Connection connect(BenchSettings settings) throws SQLException {
        return DriverManager.getConnection(settings.jdbcUrl(), settings.jdbcUser(), "");
    }

    private static BookRow row(ResultSet rs) throws SQLException {
        return new BookRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5));
    }
}
