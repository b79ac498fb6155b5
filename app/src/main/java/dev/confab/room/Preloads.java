package dev.confab.room;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * What a page should ask for at once: every ES module its script imports, however deep, and the
 * parts the stylesheet imports. Without these hints the browser finds them level by level (each
 * module's imports only once it has arrived, each part once the stylesheet has), one round trip of
 * revalidation per level; with them a reload mid-call fetches them all in parallel and is back in
 * the call sooner. Read from the served files themselves, so the lists never go stale.
 */
@Component
public class Preloads {

	/** {@code import ... from '...'}, {@code export ... from '...'} and {@code import '...'}; not JSDoc's import('...'). */
	private static final Pattern IMPORT = Pattern.compile("(?:\\bfrom|^\\s*import)\\s*['\"]([^'\"]+\\.js)['\"]",
			Pattern.MULTILINE);

	private static final Pattern CSS_IMPORT = Pattern.compile("@import\\s+url\\(\"([^\"]+\\.css)\"\\)");

	private static final String STYLESHEET = "/css/confab.css";

	private final AssetVersion assets;

	private final Map<String, List<String>> modules = new ConcurrentHashMap<>();

	private volatile List<String> styles;

	public Preloads(AssetVersion assets) {
		this.assets = assets;
	}

	/**
	 * The modules {@code script} (a plain path such as {@code /js/pages/room.js}) imports,
	 * transitively, as the page loads them: under the {@link AssetVersion} prefix.
	 */
	public List<String> modulesOf(String script) {
		return this.modules.computeIfAbsent(script, start -> importGraph(start).stream().map(this.assets::url).toList());
	}

	/** The parts {@code /css/confab.css} imports, in its order, under the {@link AssetVersion} prefix. */
	public List<String> styleParts() {
		List<String> parts = this.styles;
		if (parts == null) {
			parts = CSS_IMPORT.matcher(served(STYLESHEET)).results()
				.map(match -> this.assets.url(URI.create(STYLESHEET).resolve(match.group(1)).getPath()))
				.toList();
			this.styles = parts;
		}
		return parts;
	}

	private static List<String> importGraph(String script) {
		Set<String> found = new LinkedHashSet<>();
		Deque<String> toRead = new ArrayDeque<>(List.of(script));
		while (!toRead.isEmpty()) {
			String module = toRead.removeFirst();
			Matcher imports = IMPORT.matcher(served(module));
			while (imports.find()) {
				String imported = URI.create(module).resolve(imports.group(1)).getPath();
				if (!imported.equals(script) && found.add(imported)) {
					toRead.addLast(imported);
				}
			}
		}
		return List.copyOf(found);
	}

	/** A served file's text: /js, /css and /webjars are all classpath:/META-INF/resources. */
	private static String served(String path) {
		ClassPathResource resource = new ClassPathResource("META-INF/resources" + path);
		try (InputStream in = resource.getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + path + " to preload it", ex);
		}
	}
}
