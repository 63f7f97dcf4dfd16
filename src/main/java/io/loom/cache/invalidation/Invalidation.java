package io.loom.cache.invalidation;

import io.loom.cache.error.LoomException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The counters one committed transaction moves, resolved from its {@link CommittedChanges}: the
 * write epochs of the entities it wrote and the dependency tags it affects. It is what a durable
 * outbox keeps, since replaying it needs no entity metadata.
 *
 * <p>Text form ({@link #encode()}): {@code LI1;<epoch count>;} followed by every epoch, then every
 * tag, each as {@code <length>:<text>}, so tags may contain any character. Immutable.
 *
 * @param epochs write-epoch tags ({@code w:<entity>}), never null
 * @param tags   dependency tags, never null
 */
public record Invalidation(Set<String> epochs, Set<String> tags) {

    private static final String MAGIC = "LI1;";

    public Invalidation {
        epochs = Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(epochs, "epochs")));
        tags = Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(tags, "tags")));
    }

    public boolean isEmpty() {
        return epochs.isEmpty() && tags.isEmpty();
    }

    /** This invalidation merged with {@code other} (union of both). */
    public Invalidation plus(Invalidation other) {
        Set<String> allEpochs = new LinkedHashSet<>(epochs);
        allEpochs.addAll(other.epochs);
        Set<String> allTags = new LinkedHashSet<>(tags);
        allTags.addAll(other.tags);
        return new Invalidation(allEpochs, allTags);
    }

    /**
     * A coarser invalidation of the same entities: their epochs and entity-wide tags only. Used when
     * the exact one is too large to keep; every entry this one invalidates, the coarse one does too.
     */
    public Invalidation coarse() {
        Set<String> entityTags = new LinkedHashSet<>();
        for (String epoch : epochs) {
            entityTags.add(Tags.entity(epoch.substring(epoch.indexOf(':') + 1)));
        }
        return new Invalidation(epochs, entityTags);
    }

    /** Longest text form a durable record keeps verbatim ({@link #encodeForRecord()}). */
    public static final int MAX_RECORD_CHARS = 100_000;

    /**
     * The text form to keep in a durable record (an outbox row, a recorded prepare): this
     * invalidation's, or its {@link #coarse()} form's when longer than {@link #MAX_RECORD_CHARS}.
     */
    public String encodeForRecord() {
        String text = encode();
        return text.length() <= MAX_RECORD_CHARS ? text : coarse().encode();
    }

    /** The text form, decodable by {@link #decode(String)}. */
    public String encode() {
        StringBuilder out = new StringBuilder(MAGIC).append(epochs.size()).append(';');
        epochs.forEach(epoch -> out.append(epoch.length()).append(':').append(epoch));
        tags.forEach(tag -> out.append(tag.length()).append(':').append(tag));
        return out.toString();
    }

    /**
     * Parses {@link #encode()}'s text form.
     *
     * @throws MalformedInvalidationException if {@code text} is not in that form
     */
    public static Invalidation decode(String text) {
        if (text == null || !text.startsWith(MAGIC)) {
            throw new MalformedInvalidationException(text, "does not start with " + MAGIC);
        }
        try {
            int semicolon = text.indexOf(';', MAGIC.length());
            int epochCount = Integer.parseInt(text.substring(MAGIC.length(), semicolon));
            List<String> items = new ArrayList<>();
            int at = semicolon + 1;
            while (at < text.length()) {
                int colon = text.indexOf(':', at);
                int length = Integer.parseInt(text.substring(at, colon));
                if (length < 0 || colon + 1 + length > text.length()) {
                    throw new MalformedInvalidationException(text, "item length " + length + " runs past the end");
                }
                items.add(text.substring(colon + 1, colon + 1 + length));
                at = colon + 1 + length;
            }
            if (epochCount < 0 || epochCount > items.size()) {
                throw new MalformedInvalidationException(text, "epoch count " + epochCount + " exceeds "
                        + items.size() + " items");
            }
            return new Invalidation(new LinkedHashSet<>(items.subList(0, epochCount)),
                    new LinkedHashSet<>(items.subList(epochCount, items.size())));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new MalformedInvalidationException(text, e.toString());
        }
    }

    /** Thrown by {@link #decode(String)} for text that is not an encoded invalidation. */
    public static final class MalformedInvalidationException extends LoomException {
        public MalformedInvalidationException(String text, String problem) {
            super("not an encoded invalidation (" + problem + "): "
                    + (text == null ? "null" : text.length() > 80 ? text.substring(0, 80) + "..." : text));
        }
    }
}
