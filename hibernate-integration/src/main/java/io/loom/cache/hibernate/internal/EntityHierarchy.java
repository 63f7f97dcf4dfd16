package io.loom.cache.hibernate.internal;

import io.loom.cache.invalidation.EntityNames;
import org.hibernate.metamodel.mapping.EntityMappingType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/*
 * A row of a subclass is also a row of every entity above it: a repository over an inheritance
 * root (SINGLE_TABLE, JOINED or TABLE_PER_CLASS) reads it as one of its own rows. So a read reports
 * the row under every name of its hierarchy, and a write is published under every name: the
 * subclass's own lookups and lists and the root's see exactly the rows they hold change, and a
 * sibling subclass sees nothing.
 */
/** The normalized entity names a row of one entity is known by: its own and its entity supertypes'. */
public final class EntityHierarchy {

    private EntityHierarchy() {
    }

    /** The normalized names of {@code type} and of each entity above it, the type's own first. */
    public static List<String> names(EntityMappingType type) {
        List<String> names = new ArrayList<>(2);
        for (EntityMappingType t = type; t != null; t = t.getSuperMappingType()) {
            names.add(EntityNames.normalize(t.getEntityName()));
        }
        return names;
    }

    /**
     * The normalized names whose entries an explicit invalidation of {@code type} must reach: its
     * own, its entity supertypes' and every subclass's (a root's rows are rows of its subclasses).
     */
    public static Set<String> family(EntityMappingType type) {
        Set<String> names = new LinkedHashSet<>(names(type));
        for (String subclass : type.getSubclassEntityNames()) {
            names.add(EntityNames.normalize(subclass));
        }
        return names;
    }
}
