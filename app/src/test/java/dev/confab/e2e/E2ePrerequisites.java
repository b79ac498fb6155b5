package dev.confab.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.confab.support.Prerequisites;

/**
 * What the browser harness needs from the machine, and what to do when it is not there.
 * <p>
 * Outside CI a missing piece skips the browser tests (a JUnit assumption that says what is
 * missing and how to install it). With {@code CI=true} it fails them, so a CI run can never
 * go green without having run them.
 */
final class E2ePrerequisites {

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private E2ePrerequisites() {
	}

	/** Resolved tool paths, once all prerequisites are present. */
	record Tools(Path ip, Path socat, Path chromium, Path chromedriver) {
	}

	static boolean isCi() {
		return Prerequisites.isCi();
	}

	/**
	 * Returns the tools or ends the test: skipped (assumption) on a developer machine,
	 * failed under {@code CI=true}.
	 */
	static Tools requireOrSkip() {
		List<String> missing = new ArrayList<>();
		Set<String> packages = new LinkedHashSet<>();
		if (!isRoot()) {
			missing.add("root (the harness creates a network namespace with `ip netns add`); run the build as root");
		}
		Optional<Path> ip = findExecutable("ip");
		if (ip.isEmpty()) {
			missing.add("`ip` (iproute2)");
			packages.add("iproute2");
		}
		Optional<Path> socat = findExecutable("socat");
		if (socat.isEmpty()) {
			missing.add("`socat`");
			packages.add("socat");
		}
		if (!Files.isExecutable(CHROMIUM)) {
			missing.add(CHROMIUM + " (Debian package chromium)");
			packages.add("chromium");
		}
		if (!Files.isExecutable(CHROMEDRIVER)) {
			missing.add(CHROMEDRIVER + " (Debian package chromium-driver)");
			packages.add("chromium-driver");
		}
		if (!missing.isEmpty()) {
			StringBuilder message = new StringBuilder("Browser (WebRTC) tests need: ")
				.append(String.join("; ", missing))
				.append('.');
			if (!packages.isEmpty()) {
				message.append(" Install with: apt-get update && apt-get install -y ")
					.append(String.join(" ", packages))
					.append('.');
			}
			message.append(" On Debian, .ci/run installs all of it.");
			unavailable(message.toString());
		}
		return new Tools(ip.get(), socat.get(), CHROMIUM, CHROMEDRIVER);
	}

	/** Skips (developer machine) or fails (CI=true) with this message. Never returns. */
	static void unavailable(String message) {
		Prerequisites.unavailable("browser tests", message);
	}

	static boolean isRoot() {
		try {
			Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
			return Integer.valueOf(0).equals(uid);
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return "root".equals(System.getProperty("user.name"));
		}
	}

	static Optional<Path> findExecutable(String name) {
		return Prerequisites.findExecutable(name);
	}

}
