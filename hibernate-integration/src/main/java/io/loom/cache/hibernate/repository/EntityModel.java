package io.loom.cache.hibernate.repository;

import io.loom.cache.invalidation.EntityNames;
import io.loom.cache.repository.InvalidQueryException;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.metamodel.Attribute;
import jakarta.persistence.metamodel.EntityType;
import jakarta.persistence.metamodel.Metamodel;
import jakarta.persistence.metamodel.PluralAttribute;
import jakarta.persistence.metamodel.SingularAttribute;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.metamodel.MappingMetamodel;
import org.hibernate.persister.entity.EntityPersister;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the repository needs to know about one entity class, read once from the JPA metamodel and
 * Hibernate's mapping model.
 */
final class EntityModel {

    /** How a property can be used. */
    enum Kind { ID, BASIC, ASSOCIATION, COLLECTION, EMBEDDED, OTHER }

    /**
     * One persistent property.
     *
     * @param valueType boxed Java type of the value a filter compares with (the target's id type for associations)
     * @param target    model of the related entity (associations and entity collections), else null
     * @param nullable  whether the mapping allows null: false for the id, primitives and properties
     *                  Hibernate maps as not null ({@code @Column(nullable = false)},
     *                  {@code @Basic(optional = false)}, ...)
     * @param parts     the properties of an {@link Kind#EMBEDDED} component by their own name
     *                  (read from the component instance), else empty
     */
    record Property(String name, Kind kind, Class<?> valueType, Class<?> javaType, EntityModel target,
                    PropertyAccess access, boolean nullable, Map<String, Property> parts) {

        Property(String name, Kind kind, Class<?> valueType, Class<?> javaType, EntityModel target,
                 PropertyAccess access, boolean nullable) {
            this(name, kind, valueType, javaType, target, access, nullable, Map.of());
        }

        /** The Criteria path of this property from {@code from}: dotted names walk into components. */
        jakarta.persistence.criteria.Path<?> path(jakarta.persistence.criteria.Path<?> from) {
            jakarta.persistence.criteria.Path<?> path = from;
            for (String segment : name.split("\\.")) {
                path = path.get(segment);
            }
            return path;
        }
    }

    private final Class<?> type;
    private final String entityName;
    private final Map<String, Property> properties = new LinkedHashMap<>();
    /** Properties inside embedded components, by dotted path ({@code address.city}), read from the entity. */
    private final Map<String, Property> paths = new LinkedHashMap<>();
    private Property id;

    private EntityModel(Class<?> type) {
        this.type = type;
        this.entityName = EntityNames.of(type);
    }

    /** A new, empty instance of the entity, through its no-argument constructor (which JPA requires). */
    Object newInstance() {
        return instantiate(type, "entity");
    }

    /** A new instance of an entity or embeddable ({@code kind}, for the message) through its no-argument constructor. */
    static Object instantiate(Class<?> type, String kind) {
        try {
            var constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(kind + " " + type.getName() + " needs a no-argument constructor", e);
        }
    }

    /** Models for every entity of a persistence unit, resolved lazily and cached per registry. */
    static final class Registry {
        private final Metamodel metamodel;
        private final MappingMetamodel mapping;
        private final Map<Class<?>, EntityModel> models = new ConcurrentHashMap<>();

        Registry(EntityManagerFactory emf) {
            this.metamodel = emf.getMetamodel();
            this.mapping = emf.unwrap(SessionFactoryImplementor.class).getMappingMetamodel();
        }

        synchronized EntityModel of(Class<?> type) {
            EntityModel existing = models.get(type);
            if (existing != null) {
                return existing;
            }
            EntityType<?> entityType = metamodel.entity(type);
            EntityModel model = new EntityModel(type);
            models.put(type, model);          // before resolving relations: cycles
            Set<String> nullable = nullableProperties(mapping.getEntityDescriptor(type));
            for (Attribute<?, ?> a : entityType.getAttributes()) {
                model.add(this, a, nullable.contains(a.getName()));
            }
            if (model.id == null) {
                throw new IllegalArgumentException("entity " + type.getName() + " has no single id attribute");
            }
            return model;
        }

        /** The properties Hibernate lets be null (the id is never among them). */
        private static Set<String> nullableProperties(EntityPersister persister) {
            String[] names = persister.getPropertyNames();
            boolean[] nullability = persister.getPropertyNullability();
            Set<String> out = new HashSet<>();
            for (int i = 0; i < names.length; i++) {
                if (nullability[i]) {
                    out.add(names[i]);
                }
            }
            return out;
        }
    }

    private void add(Registry registry, Attribute<?, ?> a, boolean nullable) {
        PropertyAccess access = PropertyAccess.of(type, a.getName(), a.getJavaMember());
        Class<?> javaType = ValueConverter.box(a.getJavaType());
        Property p;
        if (a instanceof SingularAttribute<?, ?> s && s.isId()) {
            p = new Property(a.getName(), Kind.ID, javaType, javaType, null, access, false);
            id = p;
        } else if (a.isAssociation() && a instanceof SingularAttribute<?, ?>) {
            EntityModel target = registry.of(javaType);
            p = new Property(a.getName(), Kind.ASSOCIATION, target.id().valueType(), javaType, target, access, nullable);
        } else if (a instanceof PluralAttribute<?, ?, ?> plural) {
            Class<?> element = plural.getElementType().getJavaType();
            EntityModel target = a.isAssociation() ? registry.of(element) : null;
            p = new Property(a.getName(), Kind.COLLECTION, element, javaType, target, access, nullable);
        } else if (a.getPersistentAttributeType() == Attribute.PersistentAttributeType.BASIC) {
            p = new Property(a.getName(), Kind.BASIC, javaType, javaType, null, access, nullable);
        } else if (a.getPersistentAttributeType() == Attribute.PersistentAttributeType.EMBEDDED) {
            p = embedded(registry, a.getName(), javaType, access, nullable);
            addPaths(p.name(), p, p.access());
        } else {
            p = new Property(a.getName(), Kind.OTHER, javaType, javaType, null, access, nullable);
        }
        properties.put(a.getName(), p);
    }

    /** An embedded component and, recursively, the basic and embedded properties inside it. */
    private static Property embedded(Registry registry, String name, Class<?> javaType, PropertyAccess access,
                                     boolean nullable) {
        Map<String, Property> parts = new LinkedHashMap<>();
        for (Attribute<?, ?> a : registry.metamodel.embeddable(javaType).getAttributes()) {
            PropertyAccess partAccess = PropertyAccess.of(javaType, a.getName(), a.getJavaMember());
            Class<?> partType = ValueConverter.box(a.getJavaType());
            Property part = switch (a.getPersistentAttributeType()) {
                case BASIC -> new Property(a.getName(), Kind.BASIC, partType, partType, null, partAccess, true);
                case EMBEDDED -> embedded(registry, a.getName(), partType, partAccess, true);
                default -> new Property(a.getName(), Kind.OTHER, partType, partType, null, partAccess, true);
            };
            parts.put(a.getName(), part);
        }
        return new Property(name, Kind.EMBEDDED, javaType, javaType, null, access, nullable, Map.copyOf(parts));
    }

    /** Registers every part of {@code component} under its dotted path, read from the entity through {@code outer}. */
    private void addPaths(String prefix, Property component, PropertyAccess outer) {
        for (Property part : component.parts().values()) {
            String path = prefix + "." + part.name();
            PropertyAccess access = PropertyAccess.through(outer, part.access());
            paths.put(path, new Property(path, part.kind(), part.valueType(), part.javaType(), null, access, true,
                    part.parts()));
            if (part.kind() == Kind.EMBEDDED) {
                addPaths(path, part, access);
            }
        }
    }

    Class<?> type() {
        return type;
    }

    String entityName() {
        return entityName;
    }

    Property id() {
        return id;
    }

    Map<String, Property> properties() {
        return Collections.unmodifiableMap(properties);
    }

    /** The property, or null. */
    Property find(String name) {
        return properties.get(name);
    }

    /**
     * A property usable in filters and getBy: id, basic or to-one association (compared by id).
     *
     * @throws InvalidQueryException naming the field and entity otherwise
     */
    Property filterable(String name) {
        Property p = name == null ? null : properties.getOrDefault(name, paths.get(name));
        if (p == null) {
            throw InvalidQueryException.unknownField(entityName, name);
        }
        if (p.kind() == Kind.EMBEDDED) {
            throw new InvalidQueryException("field '" + name + "' of entity '" + entityName
                    + "' is an embedded component and cannot be filtered on; name one of its properties: "
                    + p.parts().keySet().stream().sorted().map(part -> name + "." + part).toList());
        }
        if (p.kind() == Kind.COLLECTION || p.kind() == Kind.OTHER) {
            throw new InvalidQueryException("field '" + name + "' of entity '" + entityName
                    + "' is a " + p.kind().name().toLowerCase(java.util.Locale.ROOT) + " and cannot be filtered on");
        }
        return p;
    }

    /** A property usable as a sort key: id or basic. */
    Property sortable(String name) {
        Property p = filterable(name);
        if (p.kind() == Kind.ASSOCIATION) {
            throw new InvalidQueryException("field '" + name + "' of entity '" + entityName
                    + "' is a relation and cannot be sorted on");
        }
        return p;
    }

    /**
     * Converts a filter value to the property's value type.
     *
     * @throws InvalidQueryException naming field, entity, value and type
     */
    Object convert(Property p, Object value) {
        try {
            return ValueConverter.convert(value, p.valueType());
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException("wrong value type for field '" + p.name() + "' of entity '" + entityName
                    + "': " + e.getMessage(), e);
        }
    }
}
