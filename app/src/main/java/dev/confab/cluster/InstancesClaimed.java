package dev.confab.cluster;

import java.util.List;

/**
 * Published after each look for dead instances, on one instance at a time: {@code claimed} are
 * the dead instances this one took over (often none). Features clean up whatever still belongs
 * to an instance that has no row any more, which also covers a claimer that died mid-cleanup.
 */
public record InstancesClaimed(List<String> claimed) {
}
