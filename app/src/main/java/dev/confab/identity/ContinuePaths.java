package dev.confab.identity;

import java.net.URI;
import java.net.URISyntaxException;

import org.jspecify.annotations.Nullable;

/**
 * Where to go after logging in. Only a local path is accepted: it starts with exactly one
 * {@code /}, has no scheme, no host and no backslash (browsers read {@code /\host} as
 * {@code //host}), and is a valid URI. Anything else means the home page.
 */
final class ContinuePaths {

	static final String HOME = "/";

	private static final int MAX_LENGTH = 2048;

	private ContinuePaths() {
	}

	static String sanitize(@Nullable String candidate) {
		if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_LENGTH
				|| candidate.charAt(0) != '/' || candidate.startsWith("//") || candidate.indexOf('\\') >= 0) {
			return HOME;
		}
		if (candidate.chars().anyMatch(c -> c < 0x21 || c == 0x7F)) {
			return HOME;
		}
		try {
			URI uri = new URI(candidate);
			if (uri.isAbsolute() || uri.getRawAuthority() != null || uri.getRawPath() == null
					|| !uri.getRawPath().startsWith("/")) {
				return HOME;
			}
		}
		catch (URISyntaxException ex) {
			return HOME;
		}
		return candidate;
	}
}
