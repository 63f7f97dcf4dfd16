package io.loom.cache.hibernate.e2e;

/** The end-to-end path on PostgreSQL (a private schema) and the shared Redis. */
class PostgresEndToEndTest extends ServerEndToEndTest {

    @Override
    protected LoomTestUnit open(String namespace) {
        return LoomTestUnit.postgresOnRedis("loom_e2e", namespace);
    }

    @Override
    protected String server() {
        return "PostgreSQL";
    }
}
