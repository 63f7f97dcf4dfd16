package io.loom.cache.repository;

import io.loom.cache.error.LoomException;

/**
 * A query, filter, sort or lookup that the repository cannot run: an unknown field (the message
 * names the field and the entity), a value that cannot be converted to the field's type, or an
 * operator used on a field or value it does not apply to.
 */
public class InvalidQueryException extends LoomException {

    public InvalidQueryException(String message) {
        super(message);
    }

    public InvalidQueryException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The field does not exist on the entity (or cannot be used in a query). */
    public static InvalidQueryException unknownField(String entity, String field) {
        return new InvalidQueryException("unknown field '" + field + "' on entity '" + entity + "'");
    }
}
