package io.loom.cache.spring.boot;

import io.loom.cache.LoomCache;
import io.loom.cache.spring.actuate.LoomCacheHealthIndicator;
import io.loom.cache.spring.data.LoomRepositoryPostProcessor;
import io.loom.cache.spring.example.Product;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.repository.core.support.RepositoryFactoryBeanSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The auto-configuration on a bare JPA application: without Actuator, Micrometer or Spring Data on the class path. */
class OptionalDependenciesTest {

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = Product.class)
    static class JpaOnly {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    HibernateJpaAutoConfiguration.class, LoomCacheAutoConfiguration.class,
                    LoomSpringCacheAutoConfiguration.class))
            .withUserConfiguration(JpaOnly.class)
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:optional;DB_CLOSE_DELAY=-1",
                    "spring.jpa.hibernate.ddl-auto=create-drop");

    @Test
    void withoutActuatorMicrometerAndSpringData_theCacheStillStarts() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class, MeterBinder.class,
                        RepositoryFactoryBeanSupport.class))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(LoomCache.class)
                            .doesNotHaveBean(LoomCacheHealthIndicator.class)
                            .doesNotHaveBean(LoomRepositoryPostProcessor.class)
                            .doesNotHaveBean(CacheManager.class);
                });
    }

    @Test
    void withEverything_andSpringCachesDeclared_theBeansAreThere() {
        runner.withPropertyValues("loom.cache.spring-caches.top.entities=Product").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(LoomCacheHealthIndicator.class)
                    .hasSingleBean(LoomRepositoryPostProcessor.class).hasSingleBean(CacheManager.class);
        });
    }
}
