package io.loom.cache.hibernate.internal.bulk;

import org.hibernate.boot.spi.SessionFactoryOptions;
import org.hibernate.cache.cfg.spi.DomainDataRegionBuildingContext;
import org.hibernate.cache.cfg.spi.DomainDataRegionConfig;
import org.hibernate.cache.spi.support.DomainDataStorageAccess;
import org.hibernate.cache.spi.support.RegionFactoryTemplate;
import org.hibernate.cache.spi.support.StorageAccess;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;

import java.util.Map;

/**
 * A Hibernate region factory whose regions store nothing. Installed only when the application
 * configured no region factory of its own: Hibernate needs one for the timestamps cache through
 * which bulk and native mutations become visible, and this one must not start caching anything
 * (not the query results, not {@code @Cacheable} entities).
 */
public final class NoStorageRegionFactory extends RegionFactoryTemplate {

    private static final long serialVersionUID = 1L;

    @Override
    protected void prepareForUse(SessionFactoryOptions settings, Map<String, Object> configValues) {
        // nothing to start
    }

    @Override
    protected void releaseFromUse() {
        // nothing to stop
    }

    @Override
    protected DomainDataStorageAccess createDomainDataStorageAccess(DomainDataRegionConfig regionConfig,
                                                                    DomainDataRegionBuildingContext buildingContext) {
        return Nothing.INSTANCE;
    }

    @Override
    protected StorageAccess createQueryResultsRegionStorageAccess(String regionName,
                                                                  SessionFactoryImplementor sessionFactory) {
        return Nothing.INSTANCE;
    }

    @Override
    protected StorageAccess createTimestampsRegionStorageAccess(String regionName,
                                                                SessionFactoryImplementor sessionFactory) {
        return Nothing.INSTANCE;
    }

    /** Storage that forgets every put. */
    private enum Nothing implements DomainDataStorageAccess {
        INSTANCE;

        @Override
        public Object getFromCache(Object key, SharedSessionContractImplementor session) {
            return null;
        }

        @Override
        public void putIntoCache(Object key, Object value, SharedSessionContractImplementor session) {
            // stores nothing
        }

        @Override
        public boolean contains(Object key) {
            return false;
        }

        @Override
        public void evictData() {
            // nothing stored
        }

        @Override
        public void evictData(Object key) {
            // nothing stored
        }

        @Override
        public void release() {
            // nothing held
        }
    }
}
