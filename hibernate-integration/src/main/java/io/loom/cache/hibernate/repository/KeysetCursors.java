package io.loom.cache.hibernate.repository;

import io.loom.cache.repository.InvalidCursorException;
import io.loom.cache.repository.QuerySpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The cursors of one entity's list queries: the sort key values of a page's last row, as text in
 * a {@link CursorCodec} token bound to the query's shape, and back to typed values that
 * {@link CriteriaQueries} continues after.
 */
final class KeysetCursors {

    private final CursorCodec codec;

    KeysetCursors(EntityModel model, byte[] secret) {
        this.codec = new CursorCodec(model.entityName(), secret);
    }

    /**
     * The key values {@code token} carries, one per key, each of its property's type.
     *
     * @throws InvalidCursorException if the token is not one of {@code spec}'s cursors, or carries
     *                                an unreadable value or a null for a key that cannot be null
     */
    List<Object> decode(String token, QuerySpec spec, List<SortKey> keys) {
        List<String> texts = codec.decode(token, spec.shapeCanonical(), keys.size());
        List<Object> values = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            EntityModel.Property p = keys.get(i).property();
            Object value;
            try {
                value = ValueConverter.convert(texts.get(i), p.valueType());
            } catch (IllegalArgumentException e) {
                throw new InvalidCursorException("cursor carries an unreadable value for '" + p.name() + "'", e);
            }
            if (value == null && !p.nullable()) {
                throw new InvalidCursorException("cursor carries no value for '" + p.name() + "', which cannot be null");
            }
            values.add(value);
        }
        return values;
    }

    /** The cursor of the page of {@code spec} that ends with the entity {@code last}. */
    String encode(QuerySpec spec, List<SortKey> keys, Object last) {
        List<String> texts = new ArrayList<>(keys.size());
        for (SortKey k : keys) {
            Object v = k.property().access().get(last);
            texts.add(v == null ? null : ValueConverter.toText(v));
        }
        return codec.encode(spec.shapeCanonical(), texts);
    }
}
