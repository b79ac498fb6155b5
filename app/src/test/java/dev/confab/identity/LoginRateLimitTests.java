package dev.confab.identity;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import dev.confab.support.services.HttpLogin;

import static org.assertj.core.api.Assertions.assertThat;

/** Login attempts from one address are limited per minute; the form says why, and keeps what was typed. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@TestPropertySource(properties = "confab.identity.logins-per-minute=3")
class LoginRateLimitTests {

	@Autowired
	WebTestClient client;

	@Test
	void theFourthAttemptInAMinuteIsRefusedWith429() {
		String[] people = {"Ann", "Bea", "Cal"};
		for (int i = 0; i < people.length; i++) {
			assertThat(attempt("limit" + i, people[i] + " Ratelimit").getStatus()).as("attempt %d", i + 1)
					.isEqualTo(HttpStatus.SEE_OTHER);
		}
		EntityExchangeResult<String> refused = attempt("limit3", "Dee Ratelimit");
		assertThat(refused.getStatus()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
		assertThat(refused.getResponseBody()).contains("Too many login attempts from your address")
				.contains("value=\"limit3\"");
		assertThat(refused.getResponseCookies().getFirst("confab_id")).as("no identity cookie").isNull();
	}

	private EntityExchangeResult<String> attempt(String screenName, String realName) {
		EntityExchangeResult<String> page = this.client.get().uri("/login").exchange().expectBody(String.class)
				.returnResult();
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("screenName", screenName);
		form.add("realName", realName);
		form.add("_csrf", HttpLogin.csrfField(page.getResponseBody()));
		return this.client.post().uri("/login")
				.cookie("XSRF-TOKEN", page.getResponseCookies().getFirst("XSRF-TOKEN").getValue())
				.contentType(MediaType.APPLICATION_FORM_URLENCODED).body(BodyInserters.fromFormData(form))
				.exchange().expectBody(String.class).returnResult();
	}
}
