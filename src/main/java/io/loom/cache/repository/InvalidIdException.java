package io.loom.cache.repository;

import io.loom.cache.error.LoomException;

/** An id argument that is null or cannot identify a row of the entity. */
public class InvalidIdException extends LoomException {

    public InvalidIdException(String message) {
        super(message);
    }

    /** A null id was passed where a row id is required. */
    public static InvalidIdException nullId(String entity) {
        return new InvalidIdException("id of entity '" + entity + "' must not be null");
    }
}
