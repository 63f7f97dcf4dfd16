package io.loom.cache.hibernate.e2e;

/** The end-to-end path on MariaDB (a private database) and the shared Redis. */
class MariadbEndToEndTest extends ServerEndToEndTest {

    @Override
    protected LoomTestUnit open(String namespace) {
        return LoomTestUnit.mariadbOnRedis("loom_e2e", namespace);
    }

    @Override
    protected String server() {
        return "MariaDB";
    }
}
