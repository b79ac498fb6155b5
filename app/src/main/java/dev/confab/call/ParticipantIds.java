package dev.confab.call;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/** Participant ids: 128 random bits, unguessable, fresh for every join. */
final class ParticipantIds {

	static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{22}");

	private static final SecureRandom RANDOM = new SecureRandom();

	private ParticipantIds() {
	}

	static String next() {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}
}
