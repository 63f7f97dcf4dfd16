package io.loom.cache.hibernate.internal;

import org.hibernate.engine.jdbc.Size;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.sql.spi.DdlTypeRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/*
 * The column types come from the Hibernate Dialect's DDL type registry (a long varchar: text on
 * PostgreSQL, longtext on MySQL/MariaDB, clob on H2), as they would for an entity. Several nodes
 * may start at once: a failed CREATE is fine when the table is usable afterwards.
 */
/**
 * The DDL of the outbox table: created when missing with the Dialect's column types, or given the
 * namespace column when it comes from a version without one; and the index of its replay query.
 */
final class OutboxTable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxTable.class);

    private OutboxTable() {
    }

    /** See {@link InvalidationOutbox#createTable}. */
    static void create(String table, SessionFactoryImplementor factory, ConnectionProvider connections) {
        createTable(table, factory, connections);
        createReplayIndex(table, connections);
    }

    private static void createTable(String table, SessionFactoryImplementor factory, ConnectionProvider connections) {
        if (usable(table, connections)) {
            return;
        }
        String ddl = selects(table, "id, created_at, invalidation", connections)
                ? addNamespaceColumn(table, factory) : ddl(table, factory);
        try {
            OutboxJdbc.withConnection(connections, connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(ddl);
                }
                return null;
            });
            LOG.info("Loom Cache outbox table ready: {}", ddl);
        } catch (SQLException e) {
            if (usable(table, connections)) {
                return; // another node created it meanwhile
            }
            throw new InvalidationOutbox.OutboxException("cannot create the invalidation outbox table " + table + " with [" + ddl + "]", e);
        }
    }

    /*
     * Every node runs the replay query (namespace IN (?, ?) AND created_at <= ?) each sweep, on a
     * table that churns (a row in and out per commit): without this index the query reads every
     * row version the table still holds, however many its vacuum has not removed yet. A table of
     * an earlier version gets the index too. IF NOT EXISTS first (PostgreSQL, MariaDB, H2), the
     * plain form for databases without it; neither succeeding means the index exists already or
     * cannot be made here, and the outbox works without it.
     */
    private static void createReplayIndex(String table, ConnectionProvider connections) {
        String name = replayIndexName(table);
        String target = " " + name + " ON " + table + " (namespace, created_at)";
        SQLException failure = null;
        for (String ddl : List.of("CREATE INDEX IF NOT EXISTS" + target, "CREATE INDEX" + target)) {
            try {
                OutboxJdbc.withConnection(connections, connection -> {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute(ddl);
                    }
                    return null;
                });
                return;
            } catch (SQLException e) {
                failure = e;
            }
        }
        LOG.info("Loom Cache outbox: index {} on {} not created (it may exist already; {})", name, table,
                failure.getMessage());
    }

    /** The replay index's name: the table's own name (without its schema) and "_replay", within 63 characters. */
    static String replayIndexName(String table) {
        String own = table.substring(table.lastIndexOf('.') + 1);
        return own.substring(0, Math.min(own.length(), 56)) + "_replay";
    }

    /*
     * A table of a version without namespaces: its rows get the empty namespace, which every
     * node replays as before (other writers of that version keep inserting without the column).
     */
    static String addNamespaceColumn(String table, SessionFactoryImplementor factory) {
        var dialect = factory.getJdbcServices().getDialect();
        return dialect.getAlterTableString(table) + " " + dialect.getAddColumnString() + " namespace "
                + factory.getTypeConfiguration().getDdlTypeRegistry().getTypeName(SqlTypes.VARCHAR, Size.length(255))
                + " default '" + InvalidationOutbox.LEGACY_NAMESPACE + "' not null" + dialect.getAddColumnSuffixString();
    }

    static String ddl(String table, SessionFactoryImplementor factory) {
        DdlTypeRegistry types = factory.getTypeConfiguration().getDdlTypeRegistry();
        String text = types.getTypeName(SqlTypes.LONG32VARCHAR, Size.length(InvalidationOutbox.MAX_TEXT));
        String suffix = factory.getJdbcServices().getDialect().getTableTypeString();
        return factory.getJdbcServices().getDialect().getCreateTableString() + " " + table
                + " (id " + types.getTypeName(SqlTypes.VARCHAR, Size.length(36)) + " not null primary key"
                + ", namespace " + types.getTypeName(SqlTypes.VARCHAR, Size.length(255)) + " not null"
                + ", created_at " + types.getTypeName(SqlTypes.BIGINT, Size.nil()) + " not null"
                + ", invalidation " + text + " not null)" + (suffix == null ? "" : suffix);
    }

    /** Whether the table exists with the columns this version reads and writes. */
    private static boolean usable(String table, ConnectionProvider connections) {
        return selects(table, "id, namespace, created_at, invalidation", connections);
    }

    private static boolean selects(String table, String columns, ConnectionProvider connections) {
        try {
            return OutboxJdbc.withConnection(connections, connection -> {
                try (Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT " + columns + " FROM " + table + " WHERE 1 = 0")) {
                    return true;
                }
            });
        } catch (SQLException e) {
            return false;
        }
    }
}
