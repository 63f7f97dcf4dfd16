package io.loom.cache.hibernate.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Turns loaded entities into a repository's outputs while the EntityManager is open: through the
 * caller's mapper when one is given, else through a {@link RecordMapper} that copies exactly the
 * relations the profile loaded.
 */
final class OutputMapping<E, O> {

    private final BiFunction<? super E, LoadingProfile, ? extends O> mapper;

    private OutputMapping(BiFunction<? super E, LoadingProfile, ? extends O> mapper) {
        this.mapper = mapper;
    }

    /**
     * The caller's {@code custom} mapper (given the profile name), or when null the record mapping
     * of {@code entityClass} to {@code outputType}.
     *
     * @throws IllegalArgumentException if the output record does not fit the entity
     */
    static <E, O> OutputMapping<E, O> of(EntityModel.Registry models, Class<E> entityClass, Class<O> outputType,
                                         BiFunction<? super E, String, ? extends O> custom) {
        if (custom != null) {
            return new OutputMapping<>((entity, profile) -> custom.apply(entity, profile.name()));
        }
        RecordMapper recordMapper = new RecordMapper(models);
        recordMapper.validate(entityClass, outputType);
        return new OutputMapping<>((entity, profile) -> recordMapper.map(entity, outputType, profile));
    }

    O one(E entity, LoadingProfile profile) {
        return mapper.apply(entity, profile);
    }

    List<O> all(List<E> rows, LoadingProfile profile) {
        List<O> out = new ArrayList<>(rows.size());
        for (E row : rows) {
            out.add(mapper.apply(row, profile));
        }
        return out;
    }
}
