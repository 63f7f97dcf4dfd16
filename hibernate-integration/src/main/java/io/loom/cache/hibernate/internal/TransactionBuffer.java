package io.loom.cache.hibernate.internal;

import io.loom.cache.invalidation.CommittedChanges;
import io.loom.cache.invalidation.MutationEvent;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The changes one transaction has flushed so far: row events and changed collections. */
final class TransactionBuffer {

    private final List<MutationEvent> events = new ArrayList<>();
    private final Set<CommittedChanges.CollectionChange> collections = new LinkedHashSet<>();

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

    synchronized boolean isEmpty() {
        return events.isEmpty() && collections.isEmpty();
    }

    synchronized CommittedChanges toChanges() {
        return new CommittedChanges(events, collections, Set.of());
    }
}
