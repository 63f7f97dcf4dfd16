package io.loom.cache.hibernate.bulk;

import org.hibernate.boot.spi.SessionFactoryOptions;
import org.hibernate.cache.cfg.spi.DomainDataRegionBuildingContext;
import org.hibernate.cache.cfg.spi.DomainDataRegionConfig;
import org.hibernate.cache.spi.support.DomainDataStorageAccess;
import org.hibernate.cache.spi.support.RegionFactoryTemplate;
import org.hibernate.cache.spi.support.StorageAccess;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An application's own (map-backed) second-level cache, to check that Loom leaves it in place. */
public class MapRegionFactory extends RegionFactoryTemplate {

    private static final long serialVersionUID = 1L;

    @Override
    protected void prepareForUse(SessionFactoryOptions settings, Map<String, Object> configValues) {
    }

    @Override
    protected void releaseFromUse() {
    }

    @Override
    protected DomainDataStorageAccess createDomainDataStorageAccess(DomainDataRegionConfig regionConfig,
                                                                    DomainDataRegionBuildingContext buildingContext) {
        return new MapStorage();
    }

    @Override
    protected StorageAccess createQueryResultsRegionStorageAccess(String regionName, SessionFactoryImplementor sf) {
        return new MapStorage();
    }

    @Override
    protected StorageAccess createTimestampsRegionStorageAccess(String regionName, SessionFactoryImplementor sf) {
        return new MapStorage();
    }

    static final class MapStorage implements DomainDataStorageAccess {
        private final Map<Object, Object> map = new ConcurrentHashMap<>();

        @Override
        public Object getFromCache(Object key, SharedSessionContractImplementor session) {
            return map.get(key);
        }

        @Override
        public void putIntoCache(Object key, Object value, SharedSessionContractImplementor session) {
            map.put(key, value);
        }

        @Override
        public boolean contains(Object key) {
            return map.containsKey(key);
        }

        @Override
        public void evictData() {
            map.clear();
        }

        @Override
        public void evictData(Object key) {
            map.remove(key);
        }

        @Override
        public void release() {
            map.clear();
        }
    }
}
