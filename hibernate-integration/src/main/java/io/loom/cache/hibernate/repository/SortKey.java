package io.loom.cache.hibernate.repository;

import io.loom.cache.repository.Direction;
import io.loom.cache.repository.Sort;

import java.util.ArrayList;
import java.util.List;

/**
 * One element of a list query's total order: a sort key, or the id that {@link #of} appends so
 * that every order is total (which pages and cursors need to neither skip nor repeat a row).
 */
record SortKey(EntityModel.Property property, Direction direction) {

    /**
     * The keys of {@code sorts} followed by the id ascending, unless a sort is already on the id.
     *
     * @throws io.loom.cache.repository.InvalidQueryException if a field is not sortable
     */
    static List<SortKey> of(EntityModel model, List<Sort> sorts) {
        List<SortKey> keys = new ArrayList<>(sorts.size() + 1);
        boolean hasId = false;
        for (Sort s : sorts) {
            EntityModel.Property p = model.sortable(s.field());
            hasId |= p.kind() == EntityModel.Kind.ID;
            keys.add(new SortKey(p, s.direction()));
        }
        if (!hasId) {
            keys.add(new SortKey(model.id(), Direction.ASC));
        }
        return keys;
    }
}
