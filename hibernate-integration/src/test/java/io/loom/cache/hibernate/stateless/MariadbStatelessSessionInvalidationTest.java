package io.loom.cache.hibernate.stateless;

import io.loom.cache.hibernate.model.TestDatabase;

/** StatelessSession writes on MariaDB (a private database). */
class MariadbStatelessSessionInvalidationTest extends StatelessSessionInvalidationTest {

    MariadbStatelessSessionInvalidationTest() {
        super(TestDatabase.Kind.MARIADB);
    }
}
