/**
 * The near cache: decoded values kept in this process under the stamp their Redis entry carried,
 * so a hit transfers and decodes nothing. Three ways to know a kept value is still current:
 * <ul>
 *   <li><em>validated</em>: one MGET of the stamp's counters per hit (the same guarantee as a
 *       Redis hit, one round trip);</li>
 *   <li><em>pushed</em>: no round trip; every bump publishes the tags it moved, in sequence, and
 *       this node drops what they touch ({@link io.loom.cache.internal.near.InvalidationLog}).
 *       Values are served this way only while this node's own heartbeats come back in sequence
 *       within {@code max-lag}; otherwise the hit is validated as above.</li>
 *   <li><em>leased</em>: as pushed, but each node holds a lease in Redis and acknowledges every
 *       message, and a commit waits for the acknowledgements of every node holding a lease
 *       ({@code LeaseMembership}): no round trip and never stale.</li>
 * </ul>
 */
package io.loom.cache.internal.near;
