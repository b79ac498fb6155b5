package dev.confab.call;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Resume secrets: 256 random bits, base64url. The database keeps only their SHA-256, so a leaked
 * presence table resumes nobody; comparisons take the same time whatever the guess.
 */
final class ResumeSecrets {

	static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{43}");

	private static final SecureRandom RANDOM = new SecureRandom();

	private ResumeSecrets() {
	}

	static String next() {
		byte[] secret = new byte[32];
		RANDOM.nextBytes(secret);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
	}

	static String hash(String secret) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JDK has SHA-256", ex);
		}
	}

	static boolean matches(String secret, String storedHash) {
		return MessageDigest.isEqual(hash(secret).getBytes(StandardCharsets.US_ASCII),
				storedHash.getBytes(StandardCharsets.US_ASCII));
	}
}
