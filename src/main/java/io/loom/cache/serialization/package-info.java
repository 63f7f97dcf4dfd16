/**
 * MessagePack encoding of cached values ({@link io.loom.cache.serialization.MsgpackSerializer}),
 * with no Java serialization and no polymorphic typing.
 */
package io.loom.cache.serialization;
