package io.loom.cache.hibernate.repository;

import org.hibernate.resource.jdbc.spi.StatementInspector;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Records every SQL statement a session factory prepares; install it with the
 * {@value #SETTING} property.
 */
final class SqlCapture implements StatementInspector {

    static final String SETTING = "hibernate.session_factory.statement_inspector";

    private final List<String> statements = new ArrayList<>();

    @Override
    public synchronized String inspect(String sql) {
        statements.add(sql);
        return sql;
    }

    synchronized void clear() {
        statements.clear();
    }

    /** The recorded statements with an ORDER BY, lower-cased. */
    synchronized List<String> ordered() {
        List<String> out = new ArrayList<>();
        for (String sql : statements) {
            String lower = sql.toLowerCase(Locale.ROOT);
            if (lower.contains(" order by ")) {
                out.add(lower);
            }
        }
        return out;
    }

    /** The ORDER BY clause of the only recorded statement that has one. */
    synchronized String orderByClause() {
        List<String> ordered = ordered();
        if (ordered.size() != 1) {
            throw new AssertionError("expected one ordered statement, got " + ordered);
        }
        String sql = ordered.get(0);
        String clause = sql.substring(sql.lastIndexOf(" order by ") + " order by ".length());
        int end = clause.indexOf(" offset ");
        end = end < 0 ? clause.indexOf(" fetch ") : end;
        end = end < 0 ? clause.indexOf(" limit ") : end;
        return end < 0 ? clause : clause.substring(0, end);
    }
}
