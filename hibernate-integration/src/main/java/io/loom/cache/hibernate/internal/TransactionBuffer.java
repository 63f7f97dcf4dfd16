package io.loom.cache.hibernate.internal;

import io.loom.cache.invalidation.CommittedChanges;
import io.loom.cache.invalidation.MutationEvent;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The changes one transaction has made so far: row events, changed collections, wholly changed entities. */
final class TransactionBuffer {

    private final List<MutationEvent> events = new ArrayList<>();
    private final Set<CommittedChanges.CollectionChange> collections = new LinkedHashSet<>();
    private final Set<String> wholeEntities = new LinkedHashSet<>();

    private String outboxId;

    synchronized void outboxEntry(String id) {
        this.outboxId = id;
    }

    /** Id of the outbox row written before completion, or null. */
    synchronized String outboxId() {
        return outboxId;
    }

    synchronized void add(MutationEvent event) {
        events.add(event);
    }

    synchronized void addCollection(String ownerEntity, String ownerId, String role) {
        collections.add(new CommittedChanges.CollectionChange(ownerEntity, ownerId, role));
    }

    /** Entities changed by statements whose rows are unknown (bulk, native, explicit invalidation). */
    synchronized void addWholeEntities(Set<String> entities) {
        wholeEntities.addAll(entities);
    }

    synchronized boolean isEmpty() {
        return events.isEmpty() && collections.isEmpty() && wholeEntities.isEmpty();
    }

    synchronized CommittedChanges toChanges() {
        return new CommittedChanges(events, collections, wholeEntities);
    }
}
