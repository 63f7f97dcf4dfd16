package io.loom.cache.invalidation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The generations a value was computed under: one per tag, in tag order. Two fingerprints are
 * equal exactly when every tag has the same generation.
 *
 * @param tags        the tags, in order
 * @param generations their generations, null for a tag that has none
 */
public record Fingerprint(List<String> tags, List<String> generations) {

    public Fingerprint {
        tags = List.copyOf(tags);
        generations = Collections.unmodifiableList(new ArrayList<>(generations));
        if (tags.size() != generations.size()) {
            throw new IllegalArgumentException("one generation per tag expected: " + tags.size()
                    + " tags, " + generations.size() + " generations");
        }
    }

    /** The canonical text, {@code tag=generation} joined by {@code ;}. */
    public String canonical() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < tags.size(); i++) {
            out.append(tags.get(i)).append('=').append(Objects.toString(generations.get(i), "")).append(';');
        }
        return out.toString();
    }
}
