package io.loom.cache.spring.boot;

import io.loom.cache.LoomCache;
import io.loom.cache.hibernate.LoomHibernate;
import io.loom.cache.metrics.LoomCacheMetrics;
import io.loom.cache.spring.actuate.ConventionalCacheMeters;
import io.loom.cache.spring.actuate.LoomCacheHealthIndicator;
import io.loom.cache.spring.data.LoomRepositoryPostProcessor;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.persistence.EntityManagerFactory;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.repository.core.support.RepositoryFactoryBeanSupport;

/**
 * Auto-configuration of Loom Cache on the application's JPA persistence unit: binds
 * {@code loom.cache.*} ({@link LoomCacheProperties}) into it, reuses a {@link RedissonClient} bean
 * when there is one, and exposes the unit's {@link LoomCache} as a bean. With
 * {@code loom.cache.enabled=false} every cached read passes through to the database.
 */
@AutoConfiguration(after = HibernateJpaAutoConfiguration.class)
@ConditionalOnClass({LoomHibernate.class, EntityManagerFactory.class})
@EnableConfigurationProperties(LoomCacheProperties.class)
public class LoomCacheAutoConfiguration {

    /** Loom's meters and the conventional cache meters, bound to the context's MeterRegistry by Boot. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    @ConditionalOnBean(EntityManagerFactory.class)
    static class Meters {

        @Bean
        LoomCacheMetrics loomCacheMetrics(LoomCache cache) {
            return new LoomCacheMetrics(cache);
        }

        @Bean
        ConventionalCacheMeters loomConventionalCacheMeters(LoomCache cache) {
            return new ConventionalCacheMeters(cache);
        }
    }

    /** The {@code loom} health contributor (always UP, with degradation details). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnBean(EntityManagerFactory.class)
    static class HealthContributor {

        @Bean
        @ConditionalOnMissingBean(name = "loomHealthIndicator")
        LoomCacheHealthIndicator loomHealthIndicator(LoomCache cache, EntityManagerFactory entityManagerFactory) {
            return new LoomCacheHealthIndicator(cache, LoomHibernate.outbox(entityManagerFactory));
        }
    }

    /** Serves {@link io.loom.cache.spring.data.LoomCached} Spring Data repositories through Loom. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RepositoryFactoryBeanSupport.class)
    static class SpringDataRepositories {

        @Bean
        static LoomRepositoryPostProcessor loomRepositoryPostProcessor(
                ObjectProvider<EntityManagerFactory> entityManagerFactory, ObjectProvider<LoomCacheProperties> properties) {
            return new LoomRepositoryPostProcessor(entityManagerFactory,
                    () -> properties.getObject().getRepositories().getMaxUnpagedResults());
        }
    }

    /** Passes the Loom settings and the RedissonClient bean (if any) to the persistence unit. */
    @Bean
    public HibernatePropertiesCustomizer loomHibernatePropertiesCustomizer(LoomCacheProperties properties,
                                                                           ObjectProvider<RedissonClient> redisson) {
        return new LoomPersistenceProperties(properties, redisson.getIfUnique());
    }

    /**
     * The cache of the persistence unit. It lives and closes with the EntityManagerFactory, so
     * the context does not close it itself.
     */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    @ConditionalOnBean(EntityManagerFactory.class)
    public LoomCache loomCache(EntityManagerFactory entityManagerFactory) {
        return LoomHibernate.cache(entityManagerFactory);
    }
}
