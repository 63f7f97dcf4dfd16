package io.loom.cache.invalidation;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one home of the tag rules: which tags a lookup, a list and a read depend on, and which tags
 * a committed change moves. Pure functions, no backend. Every cached result is stamped with the
 * generations of the tags it depends on; a write moves the tags it affects.
 *
 * <table>
 *   <caption>Tags</caption>
 *   <tr><th>tag</th><th>depended on by</th><th>moved by</th></tr>
 *   <tr><td>{@code e:<entity>}</td><td>every entry of the entity, and every entry that read its rows</td>
 *       <td>bulk or native writes, explicit {@code invalidate(entity)}</td></tr>
 *   <tr><td>{@code r:<entity>:<id>}</td><td>entries that contain or looked up the row
 *       (including related rows a profile fetched, and "not found" entries)</td>
 *       <td>insert, update, delete of the row</td></tr>
 *   <tr><td>{@code l:<entity>}</td><td>lists with no equality filter</td><td>insert, delete</td></tr>
 *   <tr><td>{@code v:<entity>:<property>:<value>}</td><td>lists with an equality/IN filter on the
 *       property; views of a collection mapped by that property</td>
 *       <td>insert/delete of a row with that value (the id counts as a property); update from or
 *       to that value</td></tr>
 *   <tr><td>{@code f:<entity>:<property>}</td><td>lists filtering (other than equality) or
 *       sorting on the property</td><td>update changing the property</td></tr>
 *   <tr><td>{@code u:<entity>}</td><td>custom queries whose filter is unknown</td><td>any update</td></tr>
 *   <tr><td>{@code c:<entity>:<id>:<role>}</td><td>views that fetched the owner's collection</td>
 *       <td>collection change on the owner</td></tr>
 * </table>
 *
 * <p>The full rules, with the table "write -> which cached results miss", are in
 * {@code docs/INVALIDATION.md}.
 *
 * <p>Write epochs ({@code w:<entity>}) are moved by every write of the entity and stamped into no
 * entry; they only guard the window between reading generations and storing a load.
 */
public final class Tags {

    private Tags() {
    }

    public static String entity(String entity) {
        return "e:" + entity;
    }

    public static String row(String entity, String id) {
        return "r:" + entity + ":" + id;
    }

    public static String row(RowRef row) {
        return row(row.entity(), row.id());
    }

    public static String membership(String entity) {
        return "l:" + entity;
    }

    public static String value(String entity, String property, Object value) {
        return "v:" + entity + ":" + property + ":" + TagValues.canonical(value);
    }

    public static String field(String entity, String property) {
        return "f:" + entity + ":" + property;
    }

    public static String anyUpdate(String entity) {
        return "u:" + entity;
    }

    public static String collection(String entity, String id, String role) {
        return "c:" + entity + ":" + id + ":" + role;
    }

    /** What an update of one row with unknown changes moves at least: its entity's write epoch and its row tag. */
    public static Invalidation movedByRow(RowRef row) {
        return new Invalidation(Set.of(writeEpoch(row.entity())), Set.of(row(row)));
    }

    public static String writeEpoch(String entity) {
        return "w:" + entity;
    }

    /** Whether {@code tag} is a write epoch, which guards loads and is stamped into no entry. */
    public static boolean isWriteEpoch(String tag) {
        return tag.startsWith("w:");
    }

    /** Tags a lookup by id depends on: the entity-wide tag and the row tag. */
    public static Set<String> ofLookup(String entity, String id) {
        return new LinkedHashSet<>(List.of(entity(entity), row(entity, id)));
    }

    /**
     * Tags a list depends on before its rows are known: the entity-wide tag; membership when no
     * equality filter narrows it, else one value tag per accepted value; one field tag per other
     * filtered or sorted property. A list of unknown filter (opaque) depends on every insert,
     * update and delete of the entity.
     */
    public static Set<String> ofList(String entity, ListScope scope) {
        Set<String> tags = new LinkedHashSet<>();
        tags.add(entity(entity));
        if (scope.opaque()) {
            tags.add(membership(entity));
            tags.add(anyUpdate(entity));
            return tags;
        }
        if (scope.equalities().isEmpty()) {
            tags.add(membership(entity));
        }
        scope.equalities().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(equality -> equality.getValue().stream()
                        .map(value -> value(entity, equality.getKey(), value))
                        .sorted()
                        .forEach(tags::add));
        scope.otherFields().stream().sorted().forEach(field -> tags.add(field(entity, field)));
        return tags;
    }

    /**
     * Tags a read of {@code entity} depends on when its repository cannot say what it loaded:
     * every insert, delete and update of the entity.
     */
    public static Set<String> ofUntrackedRead(String entity) {
        return Set.of(membership(entity), anyUpdate(entity));
    }

    /**
     * Tags a tracked read depends on: every row and collection it loaded, and the entity-wide tag
     * of every entity it read ({@link #entitiesRead}), since a bulk write or an
     * {@code invalidate(entity)} of a related entity moves only that tag.
     */
    public static Set<String> ofTrackedRead(String entity, Collection<RowRef> rows,
                                            Collection<CollectionRef> collections) {
        Set<String> tags = new LinkedHashSet<>();
        rows.forEach(row -> tags.add(row(row)));
        collections.forEach(collection -> tags.addAll(collection.tags()));
        entitiesRead(entity, rows, collections).forEach(name -> tags.add(entity(name)));
        return tags;
    }

    /** The entities a tracked read of {@code entity} touched: its own, its rows' and its collections'. */
    public static Set<String> entitiesRead(String entity, Collection<RowRef> rows,
                                           Collection<CollectionRef> collections) {
        Set<String> entities = new LinkedHashSet<>();
        entities.add(entity);
        rows.forEach(row -> entities.add(row.entity()));
        for (CollectionRef collection : collections) {
            entities.add(collection.ownerEntity());
            if (collection.elementEntity() != null) {
                entities.add(collection.elementEntity());
            }
        }
        return entities;
    }

    /**
     * The counters one committed transaction moves: the write epoch of every entity it wrote, and
     * the dependency tags of its row changes ({@link #movedBy}), collection changes and
     * entity-wide changes.
     */
    public static Invalidation movedBy(CommittedChanges changes) {
        Set<String> epochs = new LinkedHashSet<>(epochsOf(changes.events()));
        Set<String> tags = new LinkedHashSet<>();
        for (MutationEvent event : changes.events()) {
            tags.addAll(movedBy(event));
        }
        for (CommittedChanges.CollectionChange change : changes.collections()) {
            epochs.add(writeEpoch(change.ownerEntity()));
            tags.add(collection(change.ownerEntity(), change.ownerId(), change.role()));
        }
        for (String entity : changes.wholeEntities()) {
            epochs.add(writeEpoch(entity));
            tags.add(entity(entity));
        }
        return new Invalidation(epochs, tags);
    }

    /** The dependency tags one committed change moves (its write epoch excluded). */
    public static Set<String> movedBy(MutationEvent event) {
        String entity = event.entity();
        Set<String> tags = new LinkedHashSet<>();
        tags.add(row(entity, event.id()));
        switch (event.operation()) {
            case INSERT -> {
                tags.add(membership(entity));
                addValues(tags, entity, event.newValues(), event);
            }
            case DELETE -> {
                tags.add(membership(entity));
                addValues(tags, entity, event.oldValues(), event);
            }
            case UPDATE -> {
                tags.add(anyUpdate(entity));
                for (String property : event.changedProperties()) {
                    tags.add(field(entity, property));
                    boolean known = event.oldValues().containsKey(property) && event.newValues().containsKey(property);
                    if (known) {
                        tags.add(value(entity, property, event.oldValues().get(property)));
                        tags.add(value(entity, property, event.newValues().get(property)));
                    } else {
                        tags.add(entity(entity)); // equality-filtered lists cannot be told apart
                    }
                }
            }
        }
        return tags;
    }

    private static void addValues(Set<String> tags, String entity, Map<String, Object> values, MutationEvent event) {
        if (values.isEmpty()) {
            tags.add(entity(entity)); // unknown row values: every equality-filtered list may change
            return;
        }
        values.forEach((property, value) -> tags.add(value(entity, property, value)));
    }

    /** The write epochs of the entities in {@code events}. */
    public static Set<String> epochsOf(Collection<MutationEvent> events) {
        Set<String> epochs = new LinkedHashSet<>();
        events.forEach(event -> epochs.add(writeEpoch(event.entity())));
        return epochs;
    }
}
