package dev.confab.support.services;

import org.testcontainers.DockerClientFactory;

import dev.confab.support.Prerequisites;

/**
 * What the scaled-out tests do when a service is missing: skip on a developer machine (a JUnit
 * assumption naming the variables to set), fail under {@code CI=true}, where they must run.
 */
public final class Requirements {

	private static volatile Boolean docker;

	private Requirements() {
	}

	public static boolean isCi() {
		return Prerequisites.isCi();
	}

	/** Asked once per JVM: the check itself talks to the Docker socket. */
	static boolean dockerAvailable() {
		Boolean known = docker;
		if (known == null) {
			try {
				known = DockerClientFactory.instance().isDockerAvailable();
			}
			catch (RuntimeException | LinkageError ex) {
				known = false;
			}
			docker = known;
		}
		return known;
	}

	/** Skips (developer machine) or fails (CI=true) with this message. Never returns. */
	static RuntimeException unavailable(String message) {
		return Prerequisites.unavailable("scaled-out tests", message);
	}

	static String env(String name) {
		String value = System.getenv(name);
		return value == null || value.isBlank() ? null : value.strip();
	}

	static String env(String name, String fallback) {
		String value = env(name);
		return value == null ? fallback : value;
	}
}
