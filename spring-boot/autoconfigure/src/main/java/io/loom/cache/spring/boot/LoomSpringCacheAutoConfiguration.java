package io.loom.cache.spring.boot;

import io.loom.cache.LoomCache;
import io.loom.cache.spring.cache.LoomCacheManager;
import jakarta.persistence.EntityManagerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Loom {@link CacheManager}, when {@code loom.cache.spring-caches.*} declares caches and the
 * application defines no CacheManager of its own. Runs before Boot's cache auto-configuration so
 * that one backs off.
 */
@AutoConfiguration(after = LoomCacheAutoConfiguration.class,
        beforeName = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration")
@ConditionalOnClass(CacheManager.class)
@ConditionalOnBean(LoomCache.class)
@Conditional(LoomSpringCacheAutoConfiguration.CachesDeclared.class)
public class LoomSpringCacheAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(CacheManager.class)
    public LoomCacheManager cacheManager(LoomCache cache, LoomCacheProperties properties,
                                         EntityManagerFactory entityManagerFactory) {
        Map<String, LoomCacheManager.CacheSpec> specs = new LinkedHashMap<>();
        properties.getSpringCaches().forEach((name, spec) ->
                specs.put(name, new LoomCacheManager.CacheSpec(spec.getEntities(), spec.getTtl())));
        return new LoomCacheManager(cache, specs, entityManagerFactory);
    }

    /** True when {@code loom.cache.spring-caches} names at least one cache. */
    static final class CachesDeclared implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return Binder.get(context.getEnvironment())
                    .bind("loom.cache.spring-caches", Bindable.mapOf(String.class, Object.class))
                    .map(caches -> !caches.isEmpty()).orElse(false);
        }
    }
}
