package io.loom.cache.spring.data;

import io.loom.cache.LoomCache;
import io.loom.cache.hibernate.LoomHibernate;
import jakarta.persistence.EntityManagerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.data.repository.core.RepositoryInformation;
import org.springframework.data.repository.core.support.RepositoryFactoryBeanSupport;
import org.springframework.util.function.SingletonSupplier;

import java.util.function.IntSupplier;

/**
 * Puts Loom in front of every Spring Data repository whose interface is {@link LoomCached}, through
 * Spring Data's own extension point (a proxy post-processor added to the repository's factory
 * before it builds the proxy). The persistence unit is the context's single
 * EntityManagerFactory, looked up at the first call.
 */
public final class LoomRepositoryPostProcessor implements BeanPostProcessor {

    private final ObjectProvider<EntityManagerFactory> entityManagerFactory;
    private final IntSupplier maxResults;

    /**
     * @param entityManagerFactory the persistence unit (resolved lazily)
     * @param maxResults           the largest page a cached repository method reads
     */
    public LoomRepositoryPostProcessor(ObjectProvider<EntityManagerFactory> entityManagerFactory, IntSupplier maxResults) {
        this.entityManagerFactory = entityManagerFactory;
        this.maxResults = maxResults;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof RepositoryFactoryBeanSupport<?, ?, ?> factoryBean && factoryBean.getObjectType() != null) {
            LoomCached cached = AnnotatedElementUtils.findMergedAnnotation(factoryBean.getObjectType(), LoomCached.class);
            if (cached != null) {
                factoryBean.addRepositoryFactoryCustomizer(factory -> factory.addRepositoryProxyPostProcessor(
                        (proxy, info) -> proxy.addAdvice(0, interceptor(info, cached))));
            }
        }
        return bean;
    }

    private LoomRepositoryInterceptor interceptor(RepositoryInformation info, LoomCached cached) {
        SingletonSupplier<EntityManagerFactory> emf = SingletonSupplier.of(entityManagerFactory::getObject);
        SingletonSupplier<LoomViews> views = SingletonSupplier.of(() -> {
            LoomCache cache = LoomHibernate.cache(emf.obtain());
            return new LoomViews(emf.obtain(), cache, info.getDomainType(), info.getIdType(), maxResults.getAsInt());
        });
        SingletonSupplier<String> idAttribute = SingletonSupplier.of(() -> emf.obtain().getMetamodel()
                .entity(info.getDomainType()).getId(info.getIdType()).getName());
        return new LoomRepositoryInterceptor(info, cached, views, idAttribute);
    }
}
