package dev.confab.room;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * The version of Confab's own scripts and styles: a hash of their content, so it changes with any
 * of them and only then. Pages name them under it ({@code /js/v<version>/pages/room.js}), and a
 * module's relative imports resolve under the same prefix, so every file a page uses is one
 * immutable URL: a reload mid-call asks the server for none of them (it revalidated every one
 * before, one request each, while the call waited). The plain paths keep working, revalidated.
 */
@Component
public class AssetVersion {

	private static final String[] SERVED = { "classpath*:META-INF/resources/js/**/*", "classpath*:META-INF/resources/css/**/*" };

	private final String prefix;

	public AssetVersion() {
		this.prefix = "v" + hashOfServedFiles();
	}

	/** The path segment the versioned URLs carry after {@code /js/} or {@code /css/}. */
	public String segment() {
		return this.prefix;
	}

	/** {@code /js/pages/room.js} → {@code /js/v<version>/pages/room.js}; any other path as it is. */
	public String url(String path) {
		for (String root : new String[] { "/js/", "/css/" }) {
			if (path.startsWith(root)) {
				return root + this.prefix + "/" + path.substring(root.length());
			}
		}
		return path;
	}

	private static String hashOfServedFiles() {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
			for (String pattern : SERVED) {
				Resource[] files = resolver.getResources(pattern);
				Arrays.sort(files, Comparator.comparing(AssetVersion::nameOf));
				for (Resource file : files) {
					if (!file.isReadable()) {
						continue; // a directory
					}
					digest.update(nameOf(file).getBytes(StandardCharsets.UTF_8));
					try (InputStream in = file.getInputStream()) {
						digest.update(in.readAllBytes());
					}
				}
			}
			return HexFormat.of().formatHex(digest.digest(), 0, 6);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the served scripts and styles to version them", ex);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The file's path below META-INF/resources: the same in a jar and in a directory. */
	private static String nameOf(Resource file) {
		try {
			String url = file.getURL().toString();
			int at = url.lastIndexOf("META-INF/resources/");
			return at < 0 ? url : url.substring(at);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}
}
