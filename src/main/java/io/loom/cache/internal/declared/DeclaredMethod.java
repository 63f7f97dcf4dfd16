package io.loom.cache.internal.declared;

import io.loom.cache.config.CacheConfig;
import io.loom.cache.declarative.CacheQuery;
import io.loom.cache.declarative.DeclarativeCachingException;
import io.loom.cache.internal.codec.EntryCodec;
import io.loom.cache.internal.codec.MsgpackCodec;
import io.loom.cache.internal.codec.SchemaVersion;
import io.loom.cache.serialization.MsgpackSerializer;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * How one {@link CacheQuery} method is cached, worked out once at wrap time.
 *
 * @param scope     LIST or SINGLE
 * @param signature the stable text naming the method (interface, name, parameter types, return type schema)
 * @param codec     codec of the cached value (the content of an Optional)
 * @param optional  true when the method returns Optional (cached unwrapped; empty = "not found")
 * @param ttl       time to live of a result
 * @param absentTtl time to live of "nothing found" (SINGLE: the negative TTL), null = not cached (LIST)
 * @param watched   entities whose write epochs guard a load; grows when a load reads further entities
 */
record DeclaredMethod(CacheQuery.Scope scope, String signature, EntryCodec<Object> codec, boolean optional,
                      Duration ttl, Duration absentTtl, Set<String> watched) {

    static DeclaredMethod of(Method method, CacheQuery query, String entity, CacheConfig config,
                             MsgpackSerializer serializer) {
        Type returned = method.getGenericReturnType();
        String problem = CacheableTypes.problem(returned);
        if (problem != null) {
            throw DeclarativeCachingException.uncacheableReturn(method, returned, problem);
        }
        Type[] parameters = method.getGenericParameterTypes();
        for (int i = 0; i < parameters.length; i++) {
            String parameterProblem = CacheableTypes.problem(parameters[i]);
            if (parameterProblem != null) {
                throw DeclarativeCachingException.uncacheableParameter(method, i, parameters[i], parameterProblem);
            }
        }
        boolean optional = method.getReturnType() == Optional.class;
        Type valueType = optional ? ((ParameterizedType) returned).getActualTypeArguments()[0]
                : CacheableTypes.boxed(returned);
        String ttlKey = query.ttlKey().isEmpty() ? entity : query.ttlKey();
        Duration ttl = query.scope() == CacheQuery.Scope.LIST ? config.ttlForList(ttlKey) : config.ttlForSingle(ttlKey);
        String signature = method.getDeclaringClass().getName() + "#" + method.getName()
                + Arrays.stream(parameters).map(Type::getTypeName).collect(Collectors.joining(",", "(", ")"))
                + ":" + returned.getTypeName() + "@" + schemaOf(valueType);
        Set<String> watched = ConcurrentHashMap.newKeySet();
        watched.add(entity);
        return new DeclaredMethod(query.scope(), signature, MsgpackCodec.ofType(serializer, valueType), optional,
                ttl, query.scope() == CacheQuery.Scope.SINGLE ? config.negativeTtl() : null, watched);
    }

    /** The schema version of the record at the heart of the value type (its shape changes the keys). */
    private static String schemaOf(Type type) {
        if (type instanceof ParameterizedType p) {
            return Arrays.stream(p.getActualTypeArguments()).map(DeclaredMethod::schemaOf)
                    .collect(Collectors.joining(","));
        }
        return type instanceof Class<?> c ? SchemaVersion.of(c) : "";
    }
}
