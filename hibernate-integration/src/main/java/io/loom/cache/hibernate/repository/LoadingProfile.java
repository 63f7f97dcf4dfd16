package io.loom.cache.hibernate.repository;

import jakarta.persistence.AttributeNode;
import jakarta.persistence.EntityGraph;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Graph;
import jakarta.persistence.Subgraph;
import org.hibernate.Hibernate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A named set of relation paths ({@code "books"}, {@code "books.publisher"}) loaded with the root
 * rows: fetched through a JPA entity graph in the query, then checked and completed so that every
 * relation of the profile is initialized before the EntityManager closes.
 */
final class LoadingProfile {

    /** One relation and the relations loaded below it, keyed by property name. */
    record Node(EntityModel.Property property, Map<String, Node> children) {
    }

    private final String name;
    private final Map<String, Node> roots;
    private final List<String> paths;

    private LoadingProfile(String name, Map<String, Node> roots, List<String> paths) {
        this.name = name;
        this.roots = roots;
        this.paths = paths;
    }

    /**
     * A profile over {@code model} for dotted relation paths.
     *
     * @throws IllegalArgumentException if a path segment is not a relation
     */
    static LoadingProfile of(String name, EntityModel model, Collection<String> paths) {
        Map<String, Node> roots = new LinkedHashMap<>();
        for (String path : paths) {
            EntityModel current = model;
            Map<String, Node> level = roots;
            for (String segment : path.split("\\.")) {
                if (current == null) {
                    throw new IllegalArgumentException("profile '" + name + "': path '" + path + "' goes below a non-entity value");
                }
                EntityModel.Property p = current.find(segment);
                if (p == null || (p.kind() != EntityModel.Kind.ASSOCIATION && p.kind() != EntityModel.Kind.COLLECTION)) {
                    throw new IllegalArgumentException("profile '" + name + "': '" + segment + "' in path '" + path
                            + "' is not a relation of entity " + current.type().getSimpleName());
                }
                Node node = level.computeIfAbsent(segment, s -> new Node(p, new LinkedHashMap<>()));
                level = node.children();
                current = p.target();
            }
        }
        return new LoadingProfile(name, roots, List.copyOf(paths));
    }

    /** The dotted relation paths of a named entity graph. */
    static List<String> pathsOf(EntityGraph<?> graph) {
        List<String> out = new ArrayList<>();
        collect("", graph.getAttributeNodes(), out);
        return out;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void collect(String prefix, List<AttributeNode<?>> nodes, List<String> out) {
        for (AttributeNode<?> node : nodes) {
            String path = prefix + node.getAttributeName();
            Map<Class, Subgraph> subgraphs = (Map) node.getSubgraphs();
            if (subgraphs.isEmpty()) {
                out.add(path);
            }
            for (Subgraph<?> sub : subgraphs.values()) {
                if (sub.getAttributeNodes().isEmpty()) {
                    out.add(path);
                } else {
                    collect(path + ".", sub.getAttributeNodes(), out);
                }
            }
        }
    }

    String name() {
        return name;
    }

    /** The loaded relations of the root entity, keyed by property name. */
    Map<String, Node> relations() {
        return roots;
    }

    boolean isEmpty() {
        return roots.isEmpty();
    }

    List<String> paths() {
        return paths;
    }

    /** A fetch graph for this profile, or null when it loads nothing. */
    <E> EntityGraph<E> graph(EntityManager em, Class<E> type) {
        if (roots.isEmpty()) {
            return null;
        }
        EntityGraph<E> graph = em.createEntityGraph(type);
        addNodes(graph, roots);
        return graph;
    }

    private static void addNodes(Graph<?> graph, Map<String, Node> nodes) {
        for (Node node : nodes.values()) {
            String attr = node.property().name();
            if (node.children().isEmpty()) {
                graph.addAttributeNode(attr);
            } else if (node.property().kind() == EntityModel.Kind.COLLECTION) {
                addNodes(graph.addElementSubgraph(attr), node.children());
            } else {
                addNodes(graph.addSubgraph(attr), node.children());
            }
        }
    }

    /** Initializes every relation of this profile on the given loaded entities (those already loaded cost nothing). */
    void ensureLoaded(Collection<?> entities) {
        load(entities, roots);
    }

    private static void load(Collection<?> entities, Map<String, Node> nodes) {
        for (Node node : nodes.values()) {
            List<Object> next = new ArrayList<>();
            for (Object entity : entities) {
                Object value = node.property().access().get(entity);
                if (value == null) {
                    continue;
                }
                Hibernate.initialize(value);
                if (value instanceof Collection<?> c) {
                    next.addAll(c);
                } else {
                    next.add(value);
                }
            }
            if (!node.children().isEmpty() && !next.isEmpty()) {
                load(next, node.children());
            }
        }
    }
}
