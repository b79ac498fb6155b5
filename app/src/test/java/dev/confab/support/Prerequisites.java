package dev.confab.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;

/**
 * What tests that need real tools or services do when one is missing: skip on a developer machine
 * (a JUnit assumption saying what to install or set), fail under {@code CI=true}, so CI can never
 * go green without having run them.
 */
public final class Prerequisites {

	/** Searched after PATH: root's tools (ip) are often outside a user's PATH. */
	private static final List<String> SYSTEM_DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin",
			"/usr/local/sbin", "/usr/local/bin");

	private Prerequisites() {
	}

	public static boolean isCi() {
		return "true".equalsIgnoreCase(System.getenv("CI"));
	}

	/**
	 * Skips or fails; never returns normally.
	 * @param tests   which tests, as in "the browser tests"
	 * @param message what is missing and how to provide it
	 * @return nothing; declared so that callers can write {@code throw unavailable(...)}
	 */
	public static RuntimeException unavailable(String tests, String message) {
		if (isCi()) {
			throw new AssertionError("CI=true, so the " + tests + " must run, but: " + message);
		}
		System.err.println("[confab] " + tests + " skipped: " + message);
		Assumptions.abort(message);
		return new IllegalStateException("unreachable");
	}

	/** An executable file of that name on PATH or in the system folders. */
	public static Optional<Path> findExecutable(String name) {
		Set<String> dirs = new LinkedHashSet<>();
		String path = System.getenv("PATH");
		if (path != null) {
			for (String dir : path.split(File.pathSeparator)) {
				if (!dir.isEmpty()) {
					dirs.add(dir);
				}
			}
		}
		dirs.addAll(SYSTEM_DIRS);
		for (String dir : dirs) {
			Path candidate = Path.of(dir, name);
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}
}
