package dev.confab.identity;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import dev.confab.support.StompTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The login flows over real HTTP, against the embedded database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class LoginFlowTests {

	private static final AtomicInteger COUNTER = new AtomicInteger();

	private static final Pattern CSRF_INPUT = Pattern.compile("<input[^>]*name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	@Autowired
	WebTestClient client;

	@LocalServerPort
	int port;

	@Autowired
	IdentityCookies cookies;

	@Autowired
	UserStore users;

	@Autowired
	RecordingConnections connections;

	@Test
	void loginPageIsAFormWithCsrfTokenAndSecurityHeaders() {
		client.get()
			.uri("/login?continue=/rooms/standup")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("Content-Security-Policy", SecurityConfiguration.CONTENT_SECURITY_POLICY)
			.expectHeader()
			.valueEquals("X-Frame-Options", "DENY")
			.expectHeader()
			.valueEquals("X-Content-Type-Options", "nosniff")
			.expectCookie()
			.exists("XSRF-TOKEN")
			.expectCookie()
			.doesNotExist("SESSION")
			.expectBody(String.class)
			.value(html -> assertThat(html).contains("<title>Confab — log in</title>")
				.contains("id=\"login-submit\"")
				.contains("name=\"continue\" value=\"/rooms/standup\"")
				.containsPattern(CSRF_INPUT)
				.doesNotContain("id=\"login-error\""));
	}

	@Test
	void firstLoginCreatesTheUserAndSetsTheCookie() {
		Names names = names();
		EntityExchangeResult<Void> result = login(names.screen, names.real, "/rooms/standup?x=1")
			.expectStatus()
			.isEqualTo(HttpStatus.SEE_OTHER)
			.expectHeader()
			.location("/rooms/standup?x=1")
			.expectCookie()
			.httpOnly("confab_id", true)
			.expectCookie()
			.sameSite("confab_id", "Lax")
			.expectCookie()
			.path("confab_id", "/")
			.expectCookie()
			.secure("confab_id", false)
			.expectCookie()
			.maxAge("XSRF-TOKEN", Duration.ZERO)
			.expectBody()
			.isEmpty();
		ConfabUser user = cookies.verify(identityCookie(result)).orElseThrow().user();
		assertThat(user.screenName()).isEqualTo(names.screen);

		// The same pair logs in again as the same user, case and spacing aside.
		ConfabUser again = cookies
			.verify(identityCookie(login(names.screen.toUpperCase(), "  " + names.real.toLowerCase() + " ", null)
				.expectStatus()
				.isEqualTo(HttpStatus.SEE_OTHER)
				.expectHeader()
				.location("/")
				.expectBody()
				.isEmpty()))
			.orElseThrow()
			.user();
		assertThat(again).isEqualTo(user);
	}

	@Test
	void realNameBoundToAnotherScreenNameIsRefusedAndTheFormKeepsTheValues() {
		Names names = names();
		login(names.screen, names.real, null).expectStatus().isEqualTo(HttpStatus.SEE_OTHER);
		String other = names.screen + "x";
		login(other, names.real, "/rooms/standup").expectStatus()
			.isEqualTo(HttpStatus.CONFLICT)
			.expectCookie()
			.doesNotExist("confab_id")
			.expectBody(String.class)
			.value(html -> assertThat(html).contains("That real name is already bound to another screen name.")
				.contains("id=\"login-error\"")
				.contains("role=\"alert\"")
				.contains("value=\"" + other + "\"")
				.contains("value=\"" + names.real + "\"")
				.contains("name=\"continue\" value=\"/rooms/standup\"")
				.doesNotContain(names.screen + "\""));
	}

	@Test
	void screenNameEqualToRealNameIsRefused() {
		String name = "Same Name" + letters();
		login(name.toLowerCase(), name, null).expectStatus()
			.isBadRequest()
			.expectBody(String.class)
			.value(html -> assertThat(html).contains("must not be your real name"));
	}

	@Test
	void screenNameTakenByAnotherRealNameIsRefused() {
		Names names = names();
		login(names.screen, names.real, null).expectStatus().isEqualTo(HttpStatus.SEE_OTHER);
		login(names.screen, names.real + " Junior", null).expectStatus()
			.isEqualTo(HttpStatus.CONFLICT)
			.expectBody(String.class)
			.value(html -> assertThat(html).contains("The screen name “" + names.screen + "” is taken."));
	}

	@Test
	void invalidNamesAreRefusedAndEscapedWhenShownBack() {
		login("<img src=x>", "Real Person" + letters(), null).expectStatus()
			.isBadRequest()
			.expectBody(String.class)
			.value(html -> assertThat(html).contains("A screen name starts with a letter or a digit.")
				.contains("value=\"&lt;img src=x&gt;\"")
				.doesNotContain("<img src=x>"));
		login("fine" + letters(), "pаypal", null).expectStatus()
			.isBadRequest()
			.expectBody(String.class)
			.value(html -> assertThat(html).contains("Use one alphabet"));
	}

	@Test
	void loginWithoutCsrfTokenIsForbidden() {
		Names names = names();
		client.post()
			.uri("/login")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData("screenName", names.screen).with("realName", names.real))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectCookie()
			.doesNotExist("confab_id");
		Csrf csrf = csrf();
		client.post()
			.uri("/login")
			.cookie("XSRF-TOKEN", csrf.cookie)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData("screenName", names.screen).with("realName", names.real).with("_csrf", "forged"))
			.exchange()
			.expectStatus()
			.isForbidden();
	}

	@Test
	void anonymousPagesRedirectToLogin() {
		client.get()
			.uri("/")
			.accept(MediaType.TEXT_HTML)
			.exchange()
			.expectStatus()
			.is3xxRedirection()
			.expectHeader()
			.location("/login?continue=/");
		client.get()
			.uri("/rooms/standup?tab=chat&x=1")
			.exchange()
			.expectStatus()
			.is3xxRedirection()
			.expectHeader()
			.location("/login?continue=/rooms/standup?tab%3Dchat%26x%3D1");
	}

	@Test
	void anonymousHtmxRequestGetsUnauthorizedWithHxRedirect() {
		client.get()
			.uri("/rooms/standup")
			.header("HX-Request", "true")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals("HX-Redirect", "/login");
	}

	@Test
	void anonymousStompIsUnauthorizedWithoutRedirect() {
		client.get()
			.uri("/stomp")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.doesNotExist(HttpHeaders.LOCATION);
	}

	@Test
	void identityCookieAuthenticates() {
		Names names = names();
		String identity = identityCookie(login(names.screen, names.real, null).expectBody().isEmpty());
		client.get()
			.uri("/no-such-page")
			.cookie("confab_id", identity)
			.exchange()
			.expectStatus()
			.isNotFound();
		client.get()
			.uri("/login")
			.cookie("confab_id", identity)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SEE_OTHER)
			.expectHeader()
			.location("/");
		client.get()
			.uri("/no-such-page")
			.cookie("confab_id", tamper(identity))
			.exchange()
			.expectStatus()
			.is3xxRedirection();
	}

	@Test
	void openRedirectsGoHome() {
		for (String target : new String[] { "//evil.example", "https://evil.example", "/\\evil", "/\\/evil.example",
				"javascript:alert(1)" }) {
			Names names = names();
			login(names.screen, names.real, target).expectStatus()
				.isEqualTo(HttpStatus.SEE_OTHER)
				.expectHeader()
				.location("/");
		}
		client.get()
			.uri(uri -> uri.path("/login").queryParam("continue", "{target}").build("//evil.example"))
			.exchange()
			.expectBody(String.class)
			.value(html -> assertThat(html).contains("name=\"continue\" value=\"/\""));
	}

	@Test
	void logoutExpiresTheCookieAndClosesTheUsersSockets() {
		Names names = names();
		String identity = identityCookie(login(names.screen, names.real, null).expectBody().isEmpty());
		ConfabUser user = cookies.verify(identity).orElseThrow().user();
		logout(identity)
			.expectHeader()
			.location("/login")
			.expectCookie()
			.maxAge("confab_id", Duration.ZERO)
			.expectCookie()
			.value("confab_id", value -> assertThat(value).isEmpty());
		assertThat(connections.closed).contains(user.getName());
	}

	/**
	 * Logout revokes the identity, not just this browser's cookie: a copy of the value (or another
	 * device's cookie of the same user) opens no page and no socket any more, and a socket opened
	 * before gets "Logged out.". The check is the sign-out epoch in the database, which every
	 * instance reads; the two-instance case is TwoInstanceCallIT's.
	 */
	@Test
	void logoutRevokesEveryCopyOfTheUsersCookiesAndALaterLoginWorks() throws Exception {
		Names names = names();
		String copied = identityCookie(login(names.screen, names.real, null).expectBody().isEmpty());
		String otherDevice = identityCookie(login(names.screen, names.real, null).expectBody().isEmpty());
		assertThat(lobbyStatus(copied)).isEqualTo(HttpStatus.OK);
		try (StompTestClient open = StompTestClient.connect(port, "confab_id=" + copied)) {
			logout(otherDevice);
			assertThat(open.awaitError()).isEqualTo("Logged out.");
		}

		for (String revoked : List.of(copied, otherDevice)) {
			client.get()
				.uri("/")
				.accept(MediaType.TEXT_HTML)
				.cookie("confab_id", revoked)
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.SEE_OTHER)
				.expectHeader()
				.location("/login?continue=/");
			client.get().uri("/stomp").cookie("confab_id", revoked).exchange().expectStatus().isUnauthorized();
			assertThatThrownBy(() -> StompTestClient.connect(port, "confab_id=" + revoked).close())
				.as("a WebSocket handshake with a revoked cookie")
				.hasStackTraceContaining("401");
		}

		String again = identityCookie(login(names.screen, names.real, null).expectBody().isEmpty());
		assertThat(cookies.verify(again).orElseThrow().signOutEpoch())
			.isEqualTo(cookies.verify(copied).orElseThrow().signOutEpoch() + 1);
		assertThat(lobbyStatus(again)).isEqualTo(HttpStatus.OK);
		try (StompTestClient open = StompTestClient.connect(port, "confab_id=" + again)) {
			assertThat(open.isConnected()).isTrue();
		}
		assertThat(lobbyStatus(copied)).isEqualTo(HttpStatus.SEE_OTHER);
	}

	@Test
	void logoutWithoutCsrfTokenIsForbidden() {
		Names names = names();
		String identity = identityCookie(login(names.screen, names.real, null).expectBody().isEmpty());
		client.post().uri("/logout").cookie("confab_id", identity).exchange().expectStatus().isForbidden();
	}

	@Test
	void databaseRefusesDuplicateKeys() {
		ScreenName screen = ScreenName.parse(names().screen);
		RealName real = RealName.parse(names().real);
		StepVerifier.create(users.insert(UUID.randomUUID(), screen, real)).verifyComplete();
		StepVerifier.create(users.insert(UUID.randomUUID(), ScreenName.parse(names().screen), real))
			.verifyError(DataIntegrityViolationException.class);
		StepVerifier.create(users.insert(UUID.randomUUID(), screen, RealName.parse(names().real)))
			.verifyError(DataIntegrityViolationException.class);
	}

	private HttpStatus lobbyStatus(String identity) {
		return HttpStatus.valueOf(client.get()
			.uri("/")
			.accept(MediaType.TEXT_HTML)
			.cookie("confab_id", identity)
			.exchange()
			.returnResult(String.class)
			.getStatus()
			.value());
	}

	/** Logs out with that cookie; the answer, already checked to be 303, for further checks. */
	private WebTestClient.ResponseSpec logout(String identity) {
		Csrf csrf = csrf();
		return client.post()
			.uri("/logout")
			.cookie("confab_id", identity)
			.cookie("XSRF-TOKEN", csrf.cookie)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData("_csrf", csrf.token))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SEE_OTHER);
	}

	private WebTestClient.ResponseSpec login(String screenName, String realName, String continuePath) {
		Csrf csrf = csrf();
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("screenName", screenName);
		form.add("realName", realName);
		form.add("_csrf", csrf.token);
		if (continuePath != null) {
			form.add("continue", continuePath);
		}
		return client.post()
			.uri("/login")
			.cookie("XSRF-TOKEN", csrf.cookie)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData(form))
			.exchange();
	}

	/** What a browser holds after loading the form: the CSRF cookie and the form's masked token. */
	private Csrf csrf() {
		EntityExchangeResult<String> page = client.get()
			.uri("/login")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult();
		ResponseCookie cookie = page.getResponseCookies().getFirst("XSRF-TOKEN");
		assertThat(cookie).isNotNull();
		Matcher input = CSRF_INPUT.matcher(page.getResponseBody());
		assertThat(input.find()).isTrue();
		return new Csrf(cookie.getValue(), input.group(1));
	}

	/** Changes the first character of the signature, which always carries six signature bits. */
	private static String tamper(String identity) {
		int at = identity.indexOf('.') + 1;
		char replacement = (identity.charAt(at) == 'A') ? 'B' : 'A';
		return identity.substring(0, at) + replacement + identity.substring(at + 1);
	}

	private static String identityCookie(EntityExchangeResult<?> result) {
		ResponseCookie cookie = result.getResponseCookies().getFirst("confab_id");
		assertThat(cookie).isNotNull();
		return cookie.getValue();
	}

	/** Distinct, valid names for each test: the database outlives single tests. */
	private static Names names() {
		String suffix = letters();
		return new Names("screen" + suffix, "Real Person " + suffix);
	}

	private static String letters() {
		StringBuilder letters = new StringBuilder();
		for (int n = COUNTER.incrementAndGet() + 26 * 26; n > 0; n /= 26) {
			letters.append((char) ('a' + n % 26));
		}
		return letters + Long.toString(System.nanoTime() % 100000, 36).replaceAll("[0-9]", "q");
	}

	/** Hears the logout event that closes the user's sockets on every instance. */
	static class RecordingConnections {

		final List<String> closed = new CopyOnWriteArrayList<>();

		@EventListener
		void loggedOut(UserLoggedOut event) {
			closed.add(event.userName());
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Recording {

		@Bean
		RecordingConnections recordingConnections() {
			return new RecordingConnections();
		}
	}

	private record Csrf(String cookie, String token) {
	}

	private record Names(String screen, String real) {
	}
}
