/**
 * The root of Loom Cache's exceptions: a leaf package that every other package may import, so
 * no package depends on the composition root ({@code io.loom.cache}) for its error type.
 */
package io.loom.cache.error;
