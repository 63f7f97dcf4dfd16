package io.loom.cache.repository;

import java.util.Optional;

/**
 * A data-access contract for one entity, expressed without persistence-framework types: reads
 * return detached, immutable outputs (typically records), writes take plain create/update values.
 * Implementations are thread-safe.
 *
 * <p><b>Loading profiles.</b> Reads take an optional profile name selecting which relations are
 * loaded with the row; {@value #DEFAULT_PROFILE} loads no lazy relations. An unknown name throws
 * {@link UnknownProfileException}.
 *
 * <p><b>Fields.</b> Field names in {@code getBy}, {@code existsBy}, filters and sorts are checked
 * against the entity: an unknown field or unconvertible value throws {@link InvalidQueryException}.
 * Values given as text are converted to the field's type ("42" for a Long field).
 *
 * @param <OutputT> detached output type
 * @param <CreateT> values of a new row
 * @param <UpdateT> partial update values
 * @param <IdT>     id type
 */
public interface Repository<OutputT, CreateT, UpdateT, IdT> {

    /** The profile loading no lazy relations. */
    String DEFAULT_PROFILE = "default";

    /** The entity's normalized name (see {@link io.loom.cache.invalidation.EntityNames}). */
    String entityName();

    /** The output type of reads. */
    Class<OutputT> outputType();

    /**
     * The row with this id, loaded with {@code profile}.
     *
     * @return the row, or empty if none
     * @throws InvalidIdException      if id is null
     * @throws UnknownProfileException if the profile is not declared
     */
    Optional<OutputT> getById(IdT id, String profile);

    /** {@link #getById(Object, String)} with the default profile. */
    default Optional<OutputT> getById(IdT id) {
        return getById(id, DEFAULT_PROFILE);
    }

    /**
     * The row whose {@code field} equals {@code value} (null: is null); when several match, the
     * one with the smallest id.
     *
     * @throws InvalidQueryException   for an unknown field or unconvertible value
     * @throws UnknownProfileException if the profile is not declared
     */
    Optional<OutputT> getBy(String field, Object value, String profile);

    /** {@link #getBy(String, Object, String)} with the default profile. */
    default Optional<OutputT> getBy(String field, Object value) {
        return getBy(field, value, DEFAULT_PROFILE);
    }

    /**
     * Whether a row's {@code field} equals {@code value} (null: is null).
     *
     * @throws InvalidQueryException for an unknown field or unconvertible value
     */
    boolean existsBy(String field, Object value);

    /**
     * One page of rows matching the equality filters, ordered by id, with the total.
     *
     * @throws InvalidPageException    if the limit is over the repository's cap
     * @throws InvalidQueryException   for an unknown field or unconvertible value
     * @throws UnknownProfileException if the profile is not declared
     */
    PageResult<OutputT> listPaginated(PageParams page, FilterParams filters, String profile);

    /** {@link #listPaginated(PageParams, FilterParams, String)} with the default profile. */
    default PageResult<OutputT> listPaginated(PageParams page, FilterParams filters) {
        return listPaginated(page, filters, DEFAULT_PROFILE);
    }

    /** {@link #listPaginated(PageParams, FilterParams, String)} without filters. */
    default PageResult<OutputT> listPaginated(PageParams page) {
        return listPaginated(page, FilterParams.none(), DEFAULT_PROFILE);
    }

    /** {@link #listPaginated(PageParams, FilterParams, String)} without filters. */
    default PageResult<OutputT> listPaginated(PageParams page, String profile) {
        return listPaginated(page, FilterParams.none(), profile);
    }

    /**
     * Runs a query. Returns a {@link PageResult} for {@link PageParams} pagination and a
     * {@link CursorResult} for {@link CursorParams}. The order is the spec's sorts followed by the
     * id; cursor pages are keyset pages, so rows inserted or deleted elsewhere in the order never
     * make a walk repeat or skip a row that existed throughout it.
     *
     * @throws InvalidQueryException   for an unknown field, unconvertible value or misused operator
     * @throws InvalidCursorException  for a cursor not issued by this repository for this query
     * @throws InvalidPageException    if the limit is over the repository's cap
     * @throws UnknownProfileException if the profile is not declared
     */
    ListResult<OutputT> listWithQuery(QuerySpec spec, String profile);

    /** {@link #listWithQuery(QuerySpec, String)} with the default profile. */
    default ListResult<OutputT> listWithQuery(QuerySpec spec) {
        return listWithQuery(spec, DEFAULT_PROFILE);
    }

    /**
     * Inserts a row and returns it as loaded with the default profile.
     *
     * @throws InvalidQueryException if {@code values} names a relation that does not exist
     */
    OutputT create(CreateT values);

    /**
     * Partially updates a row. Every component of {@code changes} that is {@code null} leaves its
     * field as it is; a non-null plain value sets the field; a {@link Patch} component sets the field
     * to its value, which may be null ({@code Patch.toNull()}) - the only way to clear a field.
     *
     * @return the updated row (default profile), or empty if no row has this id
     * @throws InvalidIdException if id is null
     */
    Optional<OutputT> update(IdT id, UpdateT changes);

    /**
     * Deletes a row.
     *
     * @return true if a row was deleted, false if none had this id
     * @throws InvalidIdException if id is null
     */
    boolean delete(IdT id);

    /**
     * Validates a query against the entity and returns it with every filter value converted to the
     * field's type, exactly as {@link #listWithQuery} would query with it; equal queries normalize to
     * equal specs. The default implementation returns the spec unchanged.
     *
     * @throws InvalidQueryException  for an unknown field, unconvertible value or misused operator
     * @throws InvalidCursorException for a cursor not issued for this query
     * @throws InvalidPageException   if the limit is over the repository's cap
     */
    default QuerySpec normalize(QuerySpec spec) {
        return spec;
    }

    /**
     * Validates equality filters (as used by {@link #listPaginated} and, with one entry, by
     * {@link #getBy}/{@link #existsBy}) and returns them with every value converted to the field's
     * type. The default implementation returns them unchanged.
     *
     * @throws InvalidQueryException for an unknown field or unconvertible value
     */
    default FilterParams normalize(FilterParams filters) {
        return filters;
    }
}
