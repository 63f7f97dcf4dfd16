package io.loom.cache.hibernate.internal;

import io.loom.cache.AnnouncedCommit;
import io.loom.cache.PreparedCommit;
import io.loom.cache.invalidation.CommittedChanges;
import io.loom.cache.invalidation.Invalidation;
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
    /** The prepare that recorded the invalidation in Redis instead of an outbox row, or null. */
    private PreparedCommit prepared;
    /** The invalidation the outbox row holds, while no change was added after it was resolved. */
    private Invalidation resolved;
    /** The announcement sent before the statement of the transaction's first change, until taken. */
    private AnnouncedCommit ahead;
    /** The announcement completed before the database commit, or null. */
    private AnnouncedCommit announced;

    /** Keeps the announcement sent ahead of the first change's statement. */
    synchronized void ahead(AnnouncedCommit announcement) {
        this.ahead = announcement;
    }

    /** The announcement sent ahead, or null; it is no longer kept. */
    synchronized AnnouncedCommit takeAhead() {
        AnnouncedCommit taken = ahead;
        ahead = null;
        return taken;
    }

    /** Records the announcement completed before the database commit. */
    synchronized void announced(AnnouncedCommit announcement) {
        this.announced = announcement;
    }

    /** The announcement completed before the database commit, or null. */
    synchronized AnnouncedCommit announced() {
        return announced;
    }

    /** Records the outbox row written for {@code invalidation}, resolved from {@link #toChanges()}. */
    synchronized void outboxEntry(String id, Invalidation invalidation) {
        this.outboxId = id;
        this.resolved = invalidation;
    }

    /** Records the prepare that kept {@code invalidation} in Redis, resolved from {@link #toChanges()}. */
    synchronized void preparedEntry(PreparedCommit prepared, Invalidation invalidation) {
        this.prepared = prepared;
        this.resolved = invalidation;
    }

    /** Records the invalidation resolved from {@link #toChanges()} before completion, kept nowhere durable. */
    synchronized void resolvedEntry(Invalidation invalidation) {
        this.resolved = invalidation;
    }

    /** The prepare that recorded this transaction's invalidation before completion, or null. */
    synchronized PreparedCommit prepared() {
        return prepared;
    }

    /** Id of the outbox row written before completion, or null. */
    synchronized String outboxId() {
        return outboxId;
    }

    /**
     * The changes as resolved for the outbox row or the recorded prepare, or null when there is none or a change came
     * after it (then the caller resolves {@link #toChanges()} again).
     */
    synchronized Invalidation resolved() {
        return resolved;
    }

    synchronized void add(MutationEvent event) {
        events.add(event);
        resolved = null;
    }

    synchronized void addCollection(String ownerEntity, String ownerId, String role) {
        collections.add(new CommittedChanges.CollectionChange(ownerEntity, ownerId, role));
        resolved = null;
    }

    /** Entities changed by statements whose rows are unknown (bulk, native, explicit invalidation). */
    synchronized void addWholeEntities(Set<String> entities) {
        wholeEntities.addAll(entities);
        resolved = null;
    }

    synchronized boolean isEmpty() {
        return events.isEmpty() && collections.isEmpty() && wholeEntities.isEmpty();
    }

    synchronized CommittedChanges toChanges() {
        return new CommittedChanges(events, collections, wholeEntities);
    }
}
