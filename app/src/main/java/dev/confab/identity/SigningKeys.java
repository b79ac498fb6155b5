package dev.confab.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Where the cookie signing key comes from: the configured {@code confab.identity.signing-key},
 * or else a key generated once into {@code <data-dir>/identity.key} and reused on restart.
 * Nothing here ever logs key material, only the file's path.
 */
final class SigningKeys {

	/** HMAC-SHA256 keys shorter than its 32-byte output weaken it. */
	static final int MIN_KEY_BYTES = 32;

	static final String KEY_FILE = "identity.key";

	private static final Log logger = LogFactory.getLog(SigningKeys.class);

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

	private SigningKeys() {
	}

	/** The configured key if there is one, else the key kept in {@code dataDir}. */
	static byte[] resolve(@Nullable String configuredKey, Path dataDir) {
		if (configuredKey != null && !configuredKey.isBlank()) {
			return decode(configuredKey, "confab.identity.signing-key");
		}
		return loadOrCreate(dataDir.resolve(KEY_FILE));
	}

	static boolean isUsable(String base64) {
		try {
			decode(base64, "key");
			return true;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/** Decodes standard or URL-safe base64, with or without padding. */
	static byte[] decode(String base64, String source) {
		String text = base64.strip();
		byte[] key;
		try {
			boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
			key = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
		}
		catch (IllegalArgumentException ex) {
			// The decoder's message can quote the offending input: do not pass it on.
			throw new IllegalArgumentException(source + " is not valid base64");
		}
		if (key.length < MIN_KEY_BYTES) {
			throw new IllegalArgumentException(
					source + " is " + key.length + " bytes long; at least " + MIN_KEY_BYTES + " are needed");
		}
		return key;
	}

	static byte[] loadOrCreate(Path file) {
		try {
			if (Files.notExists(file)) {
				create(file);
			}
			warnIfReadableByOthers(file);
			String text = Files.readString(file, StandardCharsets.US_ASCII);
			return decode(text, "Identity key file " + file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or create the identity key file " + file, ex);
		}
	}

	/**
	 * Writes a fresh key into a private temporary file, then moves it into place unless
	 * another process got there first, so a reader never sees a half-written key.
	 */
	private static void create(Path file) throws IOException {
		Path dir = file.toAbsolutePath().getParent();
		Files.createDirectories(dir);
		byte[] key = new byte[MIN_KEY_BYTES];
		new SecureRandom().nextBytes(key);
		Path tmp = isPosix(dir) ? Files.createTempFile(dir, KEY_FILE, ".tmp", ownerOnly())
				: Files.createTempFile(dir, KEY_FILE, ".tmp");
		try {
			Files.writeString(tmp, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
			Files.move(tmp, file);
			logger.info("Generated a new identity signing key in " + file
					+ " (set confab.identity.signing-key to share one key between instances)");
		}
		catch (FileAlreadyExistsException ex) {
			logger.debug("Another process created " + file + " first; using its key");
		}
		finally {
			Files.deleteIfExists(tmp);
		}
	}

	private static void warnIfReadableByOthers(Path file) throws IOException {
		PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
		if (view != null && !OWNER_ONLY.containsAll(view.readAttributes().permissions())) {
			logger.warn("Identity key file " + file + " is readable by other users; restrict it to its owner (chmod 600)");
		}
	}

	private static boolean isPosix(Path dir) {
		return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
	}

	private static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
		return PosixFilePermissions.asFileAttribute(OWNER_ONLY);
	}
}
