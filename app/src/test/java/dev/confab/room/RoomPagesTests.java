package dev.confab.room;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import dev.confab.support.BrowserForms;
import dev.confab.support.ConfabServerTest;
import dev.confab.support.TestCalls;

import static org.assertj.core.api.Assertions.assertThat;

/** The lobby's room form, room pages and room links, over real HTTP as a signed-in browser uses them. */
@ConfabServerTest
class RoomPagesTests {

	private static final Pattern NAME_FIELD = Pattern.compile("<input type=\"hidden\" name=\"name\" value=\"([^\"]*)\">");

	@Autowired
	TestCalls calls;

	@Autowired
	AssetVersion assets;

	@Test
	void aNameOpensARoomUnderASafeLinkAndTheSameNameOpensTheSameRoom() {
		BrowserForms ada = signedIn("ada");
		String suffix = unique();
		EntityExchangeResult<String> created = ada.createRoom("Design Review " + suffix + "!", false);
		assertThat(created.getStatus()).isEqualTo(HttpStatus.SEE_OTHER);
		String link = "/rooms/design-review-" + suffix;
		assertThat(created.getResponseHeaders().getLocation()).hasToString(link);

		EntityExchangeResult<String> again = signedIn("bo").createRoom("  design   REVIEW " + suffix, false);
		assertThat(again.getResponseHeaders().getLocation()).as("another spelling of the same name").hasToString(link);

		EntityExchangeResult<String> room = ada.get(link);
		assertThat(room.getStatus()).isEqualTo(HttpStatus.OK);
		assertThat(room.getResponseBody()).contains("<title>Design Review " + suffix + "! · Confab</title>")
				.contains("data-room=\"design-review-" + suffix + "\"").doesNotContain("relay-only");
		assertThat(ada.get("/").getResponseBody()).as("the lobby lists it under the first name it was given")
				.contains("<a href=\"" + link + "\">Design Review " + suffix + "!</a>");
	}

	/**
	 * A reload mid-call must be quick: the room page names every module its script imports, however
	 * deep (the browser would find them level by level), and every part of the stylesheet, all under
	 * the content version, so that the browser asks for none of them again.
	 */
	@Test
	void theRoomPageAsksForItsModulesAndStylesAtOnce() {
		BrowserForms ada = signedIn("ada");
		String link = ada.createRoom("Preloads " + unique(), false).getResponseHeaders().getLocation().toString();
		String page = ada.get(link).getResponseBody();
		String js = "/js/" + this.assets.segment();
		String css = "/css/" + this.assets.segment();
		// Four levels down: room.js → session.js → mesh.js → peer.js → ice.js; stompjs imports its own files.
		assertThat(page).contains("<link rel=\"modulepreload\" href=\"" + js + "/call/session.js\">",
				"<link rel=\"modulepreload\" href=\"" + js + "/call/peer.js\">",
				"<link rel=\"modulepreload\" href=\"" + js + "/call/ice.js\">",
				"<link rel=\"modulepreload\" href=\"" + js + "/mux/stomp-adapter.js\">",
				"<link rel=\"modulepreload\" href=\"/webjars/stomp__stompjs/7.2.1/esm6/index.js\">",
				"<link rel=\"modulepreload\" href=\"/webjars/stomp__stompjs/7.2.1/esm6/client.js\">",
				"<link rel=\"preload\" as=\"style\" href=\"" + css + "/call.css\">",
				"<link rel=\"stylesheet\" href=\"" + css + "/confab.css\">",
				"<script type=\"module\" src=\"" + js + "/pages/room.js\"></script>")
			.doesNotContain("modulepreload\" href=\"" + js + "/pages/room.js\">");
		assertThat(Pattern.compile("(?:href|src)=\"(/(?:js|css)/[^\"]*)\"").matcher(page).results().map(m -> m.group(1)))
			.as("every script and style of the page, by its versioned URL")
			.isNotEmpty()
			.allMatch(url -> url.startsWith(js + "/") || url.startsWith(css + "/"));
		assertThat(page.indexOf(css + "/base.css")).as("style parts in cascade order").isLessThan(page.indexOf(css + "/call.css"));
	}

	/**
	 * Versioned files are cached for good (their URL changes with their content); the plain paths
	 * are revalidated; a version that is not this build's is not served.
	 */
	@Test
	void versionedScriptsAndStylesAreImmutableAndPlainOnesRevalidated() {
		BrowserForms ada = signedIn("ada");
		String versioned = this.assets.url("/js/call/session.js");
		assertThat(versioned).isEqualTo("/js/" + this.assets.segment() + "/call/session.js");
		EntityExchangeResult<String> module = ada.get(versioned);
		assertThat(module.getStatus()).isEqualTo(HttpStatus.OK);
		assertThat(module.getResponseHeaders().getCacheControl()).contains("max-age=31536000").contains("immutable");
		assertThat(module.getResponseBody()).isEqualTo(ada.get("/js/call/session.js").getResponseBody());
		assertThat(ada.get(this.assets.url("/css/base.css")).getResponseHeaders().getCacheControl()).contains("immutable");

		EntityExchangeResult<String> plain = ada.get("/js/call/session.js");
		assertThat(plain.getStatus()).isEqualTo(HttpStatus.OK);
		assertThat(plain.getResponseHeaders().getCacheControl()).isEqualTo("no-cache");
		assertThat(ada.get("/js/v000000000000/call/session.js").getStatus()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(this.assets.url("/webjars/htmx.org/2.0.10/dist/htmx.min.js")).as("webjars name their version already")
			.isEqualTo("/webjars/htmx.org/2.0.10/dist/htmx.min.js");
	}

	@Test
	void unusableNamesAreRefusedOnTheFormWithWhatWasTypedKept() {
		BrowserForms ada = signedIn("ada");
		for (String name : List.of("", "!!! ---", "x".repeat(41), "stand\u200Bup")) {
			EntityExchangeResult<String> refused = ada.createRoom(name, false);
			assertThat(refused.getStatus()).as("%s", name).isEqualTo(HttpStatus.BAD_REQUEST);
			assertThat(refused.getResponseBody()).as("%s", name)
					.contains("<p id=\"room-name-error\" class=\"error\" role=\"alert\">")
					.contains("Room names are 1 to 40 characters with at least one letter or digit.")
					.contains("aria-invalid=\"true\"")
					.contains("value=\"" + name + "\"");
		}
	}

	@Test
	void roomNamesAreTextNeverMarkup() {
		BrowserForms ada = signedIn("ada");
		String suffix = unique();
		String name = "<img src=x onerror=alert(" + suffix + ")>";
		String link = ada.createRoom(name, false).getResponseHeaders().getLocation().toString();
		assertThat(link).isEqualTo("/rooms/img-src-x-onerror-alert-" + suffix);
		String escaped = "&lt;img src=x onerror=alert(" + suffix + ")&gt;";
		for (String page : List.of(ada.get(link).getResponseBody(), ada.get("/").getResponseBody())) {
			assertThat(page).contains(escaped).doesNotContain(name);
		}
		EntityExchangeResult<String> refused = ada.createRoom("<script>" + "x".repeat(40), false);
		assertThat(refused.getResponseBody()).contains("value=\"&lt;script&gt;x").doesNotContain("<script>x");
	}

	@Test
	void aRoomFormWithoutTheCsrfTokenIsForbiddenAndMakesNothing() {
		BrowserForms ada = signedIn("ada");
		String slug = "forged-" + unique();
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("name", slug);
		assertThat(ada.postWithoutCsrf("/rooms", form).getStatus()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(ada.get("/rooms/" + slug).getStatus()).isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void aLinkToAMissingRoomOffersToOpenItAgainUnderTheSameLink() {
		BrowserForms ada = signedIn("ada");
		String link = "/rooms/weekly-sync-" + unique();
		EntityExchangeResult<String> missing = ada.get(link);
		assertThat(missing.getStatus()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(missing.getResponseBody()).contains("<title>No room here · Confab</title>")
				.contains("id=\"reopen-room\"").contains("action=\"/rooms\"").contains("Back to the lobby");

		Matcher name = NAME_FIELD.matcher(missing.getResponseBody());
		assertThat(name.find()).as("the room's name in the form").isTrue();
		EntityExchangeResult<String> reopened = ada.submit(link, "/rooms", MultiValueMap.fromSingleValue(Map.of("name", name.group(1))));
		assertThat(reopened.getStatus()).isEqualTo(HttpStatus.SEE_OTHER);
		assertThat(reopened.getResponseHeaders().getLocation()).hasToString(link);
		assertThat(ada.get(link).getStatus()).isEqualTo(HttpStatus.OK);
	}

	@Test
	void aLinkThatCannotBeARoomIsAPlainNotFound() {
		BrowserForms ada = signedIn("ada");
		for (String link : List.of("/rooms/Upper-Case", "/rooms/two--hyphens", "/rooms/" + "a".repeat(41))) {
			EntityExchangeResult<String> missing = ada.get(link);
			assertThat(missing.getStatus()).as(link).isEqualTo(HttpStatus.NOT_FOUND);
			assertThat(missing.getResponseBody()).as(link).doesNotContain("reopen-room");
		}
	}

	private BrowserForms signedIn(String screenName) {
		return new BrowserForms(this.calls.port(), this.calls.cookieFor(screenName));
	}

	/** Eight lower-case letters, so that a slug made from it is predictable; rooms outlive single tests. */
	private static String unique() {
		return ThreadLocalRandom.current().ints(8, 'a', 'z' + 1)
				.collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
	}
}
