package dev.confab.support;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import dev.confab.support.services.HttpLogin;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pages and forms as a signed-in browser uses them: the identity cookie on every request, and a
 * form posted with the CSRF cookie and the masked token of the page it came from.
 */
public final class BrowserForms {

	private final WebTestClient web;

	private final String identity;

	/** @param identityCookie "name=value", as {@link TestCalls#cookieFor} makes it */
	public BrowserForms(int port, String identityCookie) {
		this.web = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
		this.identity = identityCookie.substring(identityCookie.indexOf('=') + 1);
	}

	public EntityExchangeResult<String> get(String path) {
		return this.web.get().uri(path).cookie("confab_id", this.identity).exchange()
				.expectBody(String.class).returnResult();
	}

	/** The lobby's "Open room" form. */
	public EntityExchangeResult<String> createRoom(String name, boolean relayOnly) {
		MultiValueMap<String, String> fields = new LinkedMultiValueMap<>();
		fields.add("name", name);
		if (relayOnly) {
			fields.add("relayOnly", "on");
		}
		return submit("/", "/rooms", fields);
	}

	/** A forged cross-site post: the identity cookie rides along, but there is no CSRF token. */
	public EntityExchangeResult<String> postWithoutCsrf(String action, MultiValueMap<String, String> fields) {
		return post(action, fields, null);
	}

	/** Loads {@code page} and posts {@code fields} to {@code action} with that page's CSRF token. */
	public EntityExchangeResult<String> submit(String page, String action, MultiValueMap<String, String> fields) {
		EntityExchangeResult<String> loaded = get(page);
		ResponseCookie csrfCookie = loaded.getResponseCookies().getFirst("XSRF-TOKEN");
		assertThat(csrfCookie).as("the CSRF cookie of %s", page).isNotNull();
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>(fields);
		form.add("_csrf", HttpLogin.csrfField(loaded.getResponseBody()));
		return post(action, form, csrfCookie.getValue());
	}

	private EntityExchangeResult<String> post(String action, MultiValueMap<String, String> form, String csrfCookie) {
		WebTestClient.RequestBodySpec request = this.web.post().uri(action).cookie("confab_id", this.identity);
		if (csrfCookie != null) {
			request.cookie("XSRF-TOKEN", csrfCookie);
		}
		return request.contentType(MediaType.APPLICATION_FORM_URLENCODED).body(BodyInserters.fromFormData(form))
				.exchange().expectBody(String.class).returnResult();
	}
}
