package io.loom.cache.spring.data;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.data.repository.core.RepositoryInformation;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The advice put in front of a {@link LoomCached} repository's proxy (before Spring Data's own
 * transaction advice, so a cached read opens no transaction): each method is planned once, then
 * served by Loom or passed on.
 */
final class LoomRepositoryInterceptor implements MethodInterceptor {

    private final RepositoryInformation info;
    private final LoomCached cached;
    private final Supplier<LoomViews> views;
    private final Supplier<String> idAttribute;
    private final Map<Method, Optional<CachedMethod>> plans = new ConcurrentHashMap<>();

    LoomRepositoryInterceptor(RepositoryInformation info, LoomCached cached, Supplier<LoomViews> views,
                              Supplier<String> idAttribute) {
        this.info = info;
        this.cached = cached;
        this.views = views;
        this.idAttribute = idAttribute;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Optional<CachedMethod> plan = plans.computeIfAbsent(invocation.getMethod(),
                method -> CachedMethod.plan(method, info, cached, idAttribute.get()));
        return plan.isPresent() ? plan.get().run(views.get(), invocation) : invocation.proceed();
    }
}
