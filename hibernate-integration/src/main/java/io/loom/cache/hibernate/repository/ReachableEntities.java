package io.loom.cache.hibernate.repository;

import io.loom.cache.invalidation.EntityNames;
import jakarta.persistence.metamodel.Attribute;
import jakarta.persistence.metamodel.EntityType;
import jakarta.persistence.metamodel.ManagedType;
import jakarta.persistence.metamodel.Metamodel;
import jakarta.persistence.metamodel.PluralAttribute;
import jakarta.persistence.metamodel.SingularAttribute;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The entities reachable from one entity through associations (and embeddables), itself included,
 * with the entities above and below each in its inheritance hierarchy (a row read through a root
 * is a row of a subclass, and is reported under the names above it too).
 */
final class ReachableEntities {

    private ReachableEntities() {
    }

    static Set<String> from(Metamodel metamodel, Class<?> root) {
        Set<Class<?>> seen = new LinkedHashSet<>();
        Set<String> entities = new LinkedHashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>();
        todo.add(root);
        while (!todo.isEmpty()) {
            Class<?> type = todo.poll();
            if (!seen.add(type)) {
                continue;
            }
            ManagedType<?> managed;
            try {
                managed = metamodel.managedType(type);
            } catch (IllegalArgumentException notManaged) {
                continue;
            }
            if (managed instanceof EntityType<?> entity) {
                entities.add(EntityNames.of(type));      // the class name, as rows and events are named
                for (EntityType<?> other : metamodel.getEntities()) {
                    Class<?> javaType = other.getJavaType();
                    if (javaType != null && (type.isAssignableFrom(javaType) || javaType.isAssignableFrom(type))) {
                        todo.add(javaType);
                    }
                }
            }
            for (Attribute<?, ?> attribute : managed.getAttributes()) {
                if (attribute instanceof PluralAttribute<?, ?, ?> plural) {
                    todo.add(plural.getElementType().getJavaType());
                } else if (attribute instanceof SingularAttribute<?, ?> singular
                        && singular.getPersistentAttributeType() != Attribute.PersistentAttributeType.BASIC) {
                    todo.add(singular.getJavaType());
                }
            }
        }
        return Set.copyOf(entities);
    }
}
