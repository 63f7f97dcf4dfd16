package io.loom.cache.hibernate.internal;

import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs outbox statements on a connection of their own, outside any application transaction. */
final class OutboxJdbc {

    private OutboxJdbc() {
    }

    /** Statements run on one connection. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} on a pooled connection, committed after it (rolled back when it fails), and returns it. */
    static <T> T withConnection(ConnectionProvider connections, Work<T> work) throws SQLException {
        Connection connection = connections.getConnection();
        try {
            boolean autoCommit = connection.getAutoCommit();
            T result = work.run(connection);
            if (!autoCommit) {
                connection.commit();
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
            } catch (SQLException ignored) {
                // the original failure matters
            }
            throw e;
        } finally {
            connections.closeConnection(connection);
        }
    }
}
