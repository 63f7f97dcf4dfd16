package io.loom.cache.invalidation;

import java.util.Objects;

/**
 * A collection a read loaded: the owner row, the collection property, and, for a collection mapped
 * by a property of its elements ({@code mappedBy}), that element entity and property. A cached
 * view that holds the collection depends on it: on the owner's collection tag, and for a mapped
 * collection on the elements' value tag for the owner's id (so a new Book with
 * {@code author = 7} invalidates Author 7's view of its books, though Author 7 itself never changed).
 *
 * @param ownerEntity   normalized owner entity name
 * @param ownerId       canonical owner id
 * @param role          collection property on the owner
 * @param elementEntity normalized element entity name when mapped by an element property, else null
 * @param mappedBy      the element property that maps the collection, else null
 */
public record CollectionRef(String ownerEntity, String ownerId, String role, String elementEntity, String mappedBy) {

    public CollectionRef {
        Objects.requireNonNull(ownerEntity, "ownerEntity");
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(role, "role");
    }

    /** The tags a view holding this collection depends on. */
    public java.util.Set<String> tags() {
        String ownerTag = Tags.collection(ownerEntity, ownerId, role);
        if (elementEntity == null || mappedBy == null) {
            return java.util.Set.of(ownerTag);
        }
        return java.util.Set.of(ownerTag, Tags.value(elementEntity, mappedBy, ownerId));
    }
}
