package dev.confab.bench.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Confab's HTML forms over plain HTTP, as a browser without scripts uses them: the login form
 * (CSRF token cookie plus hidden field, answered with the identity cookie) and the lobby's
 * create-a-room form. docs/protocol.md, "Pages (HTTP)".
 */
public final class ConfabPages {

	private static final Pattern HIDDEN_CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
			.followRedirects(HttpClient.Redirect.NEVER).build();

	private final String origin;

	/** @param port a Confab instance on this machine */
	public ConfabPages(int port) {
		this.origin = "http://localhost:" + port;
	}

	/** Logs in as a new user (a random real name, letters only) and returns {@code confab_id=<cookie>}. */
	public String login(String screenName) {
		Answer form = exchange(HttpRequest.newBuilder(URI.create(this.origin + "/login")).GET());
		String csrfCookie = form.cookie("XSRF-TOKEN");
		Answer done = postForm("/login", "XSRF-TOKEN=" + csrfCookie, Map.of("_csrf", hiddenCsrf(form.body), "continue",
				"/", "screenName", screenName, "realName", randomRealName()));
		if (done.status / 100 != 3) {
			throw new IllegalStateException("Login of " + screenName + " answered " + done.status + ": " + done.body);
		}
		return "confab_id=" + done.cookie("confab_id");
	}

	/** Creates a room through the lobby's form and returns its slug. */
	public String createRoom(String identityCookie, String name) {
		Answer lobby = exchange(HttpRequest.newBuilder(URI.create(this.origin + "/")).header("Cookie", identityCookie).GET());
		Answer created = postForm("/rooms", identityCookie + "; XSRF-TOKEN=" + lobby.cookie("XSRF-TOKEN"),
				Map.of("_csrf", hiddenCsrf(lobby.body), "name", name));
		String location = created.location == null ? "" : created.location;
		if (!location.startsWith("/rooms/")) {
			throw new IllegalStateException("Creating room " + name + " answered " + created.status + " to '" + location + "'");
		}
		return location.substring("/rooms/".length());
	}

	private Answer postForm(String path, String cookies, Map<String, String> fields) {
		StringJoiner form = new StringJoiner("&");
		fields.forEach((name, value) -> form.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
				+ URLEncoder.encode(value, StandardCharsets.UTF_8)));
		return exchange(HttpRequest.newBuilder(URI.create(this.origin + path)).header("Cookie", cookies)
				.header("Origin", this.origin).header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form.toString())));
	}

	private Answer exchange(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.http.send(request.timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
			Map<String, String> cookies = new HashMap<>();
			response.headers().allValues("Set-Cookie").forEach(header -> {
				String pair = header.split(";", 2)[0];
				int eq = pair.indexOf('=');
				if (eq > 0) {
					cookies.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
				}
			});
			return new Answer(response.statusCode(), response.body(), cookies,
					response.headers().firstValue("Location").orElse(null));
		}
		catch (IOException ex) {
			throw new IllegalStateException("HTTP to " + this.origin + " failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String hiddenCsrf(String html) {
		Matcher field = HIDDEN_CSRF.matcher(html);
		if (!field.find()) {
			throw new IllegalStateException("The page has no hidden _csrf field");
		}
		return field.group(1);
	}

	/** The first use of a real name binds it to the screen name, so every bench user gets its own. */
	private static String randomRealName() {
		StringBuilder name = new StringBuilder("Bench ");
		ThreadLocalRandom random = ThreadLocalRandom.current();
		for (int i = 0; i < 16; i++) {
			name.append((char) ('a' + random.nextInt(26)));
		}
		return name.toString();
	}

	private record Answer(int status, String body, Map<String, String> cookies, String location) {

		String cookie(String name) {
			String value = this.cookies.get(name);
			if (value == null || value.isEmpty()) {
				throw new IllegalStateException("The answer (" + this.status + ") set no " + name + " cookie");
			}
			return value;
		}
	}
}
