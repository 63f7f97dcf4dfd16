package io.loom.cache.hibernate.stateless;

import io.loom.cache.hibernate.model.TestDatabase;

/** StatelessSession writes on PostgreSQL (a private schema). */
class PostgresStatelessSessionInvalidationTest extends StatelessSessionInvalidationTest {

    PostgresStatelessSessionInvalidationTest() {
        super(TestDatabase.Kind.POSTGRESQL);
    }
}
