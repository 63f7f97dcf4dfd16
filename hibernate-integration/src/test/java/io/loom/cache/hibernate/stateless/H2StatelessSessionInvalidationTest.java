package io.loom.cache.hibernate.stateless;

import io.loom.cache.hibernate.model.TestDatabase;

/** StatelessSession writes on H2. */
class H2StatelessSessionInvalidationTest extends StatelessSessionInvalidationTest {

    H2StatelessSessionInvalidationTest() {
        super(TestDatabase.Kind.H2);
    }
}
