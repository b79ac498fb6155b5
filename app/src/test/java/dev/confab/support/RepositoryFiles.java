package dev.confab.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of the repository that tests read or run (docs, infra, coturn), found from the working
 * directory upwards: Maven runs a module's tests in the module's folder, an IDE often at the root.
 */
public final class RepositoryFiles {

	private RepositoryFiles() {
	}

	/** The first {@code relative} (a file or a folder) that exists in the working directory or above it. */
	public static Path find(String relative) {
		Path start = Path.of("").toAbsolutePath();
		for (Path dir = start; dir != null; dir = dir.getParent()) {
			Path candidate = dir.resolve(relative);
			if (Files.exists(candidate)) {
				return candidate;
			}
		}
		throw new IllegalStateException("No " + relative + " in " + start + " or above it");
	}
}
