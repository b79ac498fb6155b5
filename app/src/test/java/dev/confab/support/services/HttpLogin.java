package dev.confab.support.services;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A user going through the real pages over HTTP, as a browser without JavaScript would: the
 * login form (CSRF cookie and hidden field), room creation, the lobby page. Works against any
 * instance, or the load balancer, by base URL.
 */
public final class HttpLogin {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
			.followRedirects(HttpClient.Redirect.NEVER).build();

	private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

	/** A real name may hold letters only; one per screen name, so that logging in again anywhere works. */
	private static final Map<String, String> REAL_NAMES = new ConcurrentHashMap<>();

	private final String base;

	/** @param base e.g. {@code http://localhost:8080} */
	public HttpLogin(String base) {
		this.base = base;
	}

	/** A result of a request: status, body, the cookies it set and where it redirects to. */
	public record Page(int status, String body, Map<String, String> cookies, String location) {
	}

	/** Logs in (or signs up) with the form and returns the identity cookie as {@code confab_id=...}. */
	public String login(String screenName) {
		Page form = get("/login", "");
		String xsrf = required(form.cookies(), "XSRF-TOKEN", "GET /login");
		Page done = post("/login", "XSRF-TOKEN=" + xsrf, Map.of("_csrf", csrfField(form), "continue", "/",
				"screenName", screenName, "realName", REAL_NAMES.computeIfAbsent(screenName, n -> randomRealName())));
		if (done.status() != 303 && done.status() != 302) {
			throw new AssertionError("Login of " + screenName + " at " + this.base + " answered " + done.status() + ": "
					+ done.body());
		}
		return "confab_id=" + required(done.cookies(), "confab_id", "POST /login");
	}

	/** Creates (or opens) a room through the lobby's form and returns its slug. */
	public String createRoom(String cookie, String name) {
		Page lobby = get("/", cookie);
		if (lobby.status() != 200) {
			throw new AssertionError("GET / at " + this.base + " answered " + lobby.status());
		}
		String xsrf = required(lobby.cookies(), "XSRF-TOKEN", "GET /");
		Page created = post("/rooms", cookie + "; XSRF-TOKEN=" + xsrf, Map.of("_csrf", csrfField(lobby), "name", name));
		if (created.location() == null || !created.location().startsWith("/rooms/")) {
			throw new AssertionError("Creating room " + name + " at " + this.base + " answered " + created.status()
					+ " to " + created.location() + ": " + created.body());
		}
		return created.location().substring("/rooms/".length());
	}

	/** The lobby page's HTML. */
	public String lobbyPage(String cookie) {
		Page lobby = get("/", cookie);
		if (lobby.status() != 200) {
			throw new AssertionError("GET / at " + this.base + " answered " + lobby.status());
		}
		return lobby.body();
	}

	/**
	 * The call count the room list shows for {@code slug} (in the lobby page or a {@code /topic/lobby}
	 * fragment), or -1 when the room is not listed.
	 */
	public static int lobbyCount(String html, String slug) {
		Matcher count = Pattern.compile("id=\"room-" + Pattern.quote(slug) + "\".*?<span class=\"count[^\"]*\">(\\d+) in call<",
				Pattern.DOTALL).matcher(html);
		return count.find() ? Integer.parseInt(count.group(1)) : -1;
	}

	public Page get(String path, String cookie) {
		return get(path, cookie, Map.of());
	}

	/** A GET with extra request headers (e.g. a made-up X-Forwarded-For). */
	public Page get(String path, String cookie, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path)).timeout(Duration.ofSeconds(10));
		if (!cookie.isEmpty()) {
			request.header("Cookie", cookie);
		}
		headers.forEach(request::header);
		return send(request.GET().build());
	}

	public Page post(String path, String cookie, Map<String, String> form) {
		return post(path, cookie, form, Map.of());
	}

	/** A form POST with extra request headers. */
	public Page post(String path, String cookie, Map<String, String> form, Map<String, String> headers) {
		String body = form.entrySet().stream()
				.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
						+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
				.collect(Collectors.joining("&"));
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path)).timeout(Duration.ofSeconds(10))
				.header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
				.header("Origin", this.base);
		headers.forEach(request::header);
		return send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build());
	}

	private static Page send(HttpRequest request) {
		try {
			HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
			Map<String, String> cookies = new LinkedHashMap<>();
			for (String header : response.headers().allValues("Set-Cookie")) {
				String pair = header.split(";", 2)[0];
				int eq = pair.indexOf('=');
				if (eq > 0) {
					cookies.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
				}
			}
			return new Page(response.statusCode(), response.body(), cookies,
					response.headers().firstValue("Location").orElse(null));
		}
		catch (IOException ex) {
			throw new AssertionError(request.method() + " " + request.uri() + " failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public static String csrfField(Page page) {
		return csrfField(page.body());
	}

	/** The masked CSRF token of the page's forms. */
	public static String csrfField(String html) {
		Matcher field = CSRF_FIELD.matcher(html);
		if (!field.find()) {
			throw new AssertionError("No _csrf field in the page: " + html);
		}
		return field.group(1);
	}

	private static String required(Map<String, String> cookies, String name, String what) {
		String value = cookies.get(name);
		if (value == null || value.isEmpty()) {
			throw new AssertionError(what + " set no " + name + " cookie; it set " + List.copyOf(cookies.keySet()));
		}
		return value;
	}

	private static String randomRealName() {
		StringBuilder name = new StringBuilder("Tess ");
		for (int i = 0; i < 12; i++) {
			name.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
		}
		return name.toString();
	}
}
