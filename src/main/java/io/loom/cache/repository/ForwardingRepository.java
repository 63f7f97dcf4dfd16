package io.loom.cache.repository;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@link Repository} that forwards every call to another one: the base of decorators, which
 * override only what they change. Thread-safe when the delegate is.
 */
public abstract class ForwardingRepository<OutputT, CreateT, UpdateT, IdT>
        implements Repository<OutputT, CreateT, UpdateT, IdT> {

    private final Repository<OutputT, CreateT, UpdateT, IdT> delegate;

    protected ForwardingRepository(Repository<OutputT, CreateT, UpdateT, IdT> delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The repository this one decorates. */
    public Repository<OutputT, CreateT, UpdateT, IdT> delegate() {
        return delegate;
    }

    @Override
    public String entityName() {
        return delegate.entityName();
    }

    @Override
    public Class<OutputT> outputType() {
        return delegate.outputType();
    }

    @Override
    public Optional<OutputT> getById(IdT id, String profile) {
        return delegate.getById(id, profile);
    }

    @Override
    public Optional<OutputT> getBy(String field, Object value, String profile) {
        return delegate.getBy(field, value, profile);
    }

    @Override
    public boolean existsBy(String field, Object value) {
        return delegate.existsBy(field, value);
    }

    @Override
    public PageResult<OutputT> listPaginated(PageParams page, FilterParams filters, String profile) {
        return delegate.listPaginated(page, filters, profile);
    }

    @Override
    public ListResult<OutputT> listWithQuery(QuerySpec spec, String profile) {
        return delegate.listWithQuery(spec, profile);
    }

    @Override
    public OutputT create(CreateT values) {
        return delegate.create(values);
    }

    @Override
    public Optional<OutputT> update(IdT id, UpdateT changes) {
        return delegate.update(id, changes);
    }

    @Override
    public boolean delete(IdT id) {
        return delegate.delete(id);
    }

    @Override
    public QuerySpec normalize(QuerySpec spec) {
        return delegate.normalize(spec);
    }

    @Override
    public FilterParams normalize(FilterParams filters) {
        return delegate.normalize(filters);
    }
}
