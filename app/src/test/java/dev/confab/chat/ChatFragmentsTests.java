package dev.confab.chat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.thymeleaf.autoconfigure.ThymeleafAutoConfiguration;
import org.thymeleaf.spring6.ISpringWebFluxTemplateEngine;

import static org.assertj.core.api.Assertions.assertThat;

/** The chat's fragments, exactly, through Boot's own Thymeleaf setup (docs/protocol.md, "Chat"). */
class ChatFragmentsTests {

	private static ChatExamples examples;

	@BeforeAll
	static void templates() {
		new ReactiveWebApplicationContextRunner().withConfiguration(AutoConfigurations.of(ThymeleafAutoConfiguration.class))
			.run(context -> examples = new ChatExamples(context.getBean(ISpringWebFluxTemplateEngine.class)));
	}

	@Test
	void aMessageIsAppendedToTheLog() {
		assertThat(examples.appended()).isEqualTo("<div id=\"chat-log\" hx-swap-oob=\"beforeend\">"
				+ "<article class=\"chat-message\" id=\"chat-42\" data-seq=\"42\" data-from=\"A\" hx-disable>"
				+ "<header><span class=\"name\">ada</span> <time datetime=\"2026-12-02T03:04:05Z\">03:04 UTC</time></header>"
				+ "<p class=\"text\">see <a href=\"https://example.org/x\" rel=\"noopener noreferrer\" target=\"_blank\">"
				+ "https://example.org/x</a></p></article></div>");
	}

	@Test
	void theSendersCopyClearsItsNotice() {
		assertThat(examples.appendedToSender()).isEqualTo(examples.appended()
				+ "<p id=\"chat-notice\" class=\"chat-notice\" role=\"status\" hx-swap-oob=\"outerHTML\"></p>");
	}

	@Test
	void theHistoryReplacesTheLogOldestFirst() {
		assertThat(examples.history()).isEqualTo("<div id=\"chat-log\" hx-swap-oob=\"innerHTML\">"
				+ "<article class=\"chat-message\" id=\"chat-42\" data-seq=\"42\" data-from=\"A\" hx-disable>"
				+ "<header><span class=\"name\">ada</span> <time datetime=\"2026-12-02T03:04:05Z\">03:04 UTC</time></header>"
				+ "<p class=\"text\">see <a href=\"https://example.org/x\" rel=\"noopener noreferrer\" target=\"_blank\">"
				+ "https://example.org/x</a></p></article>"
				+ "<article class=\"chat-message\" id=\"chat-43\" data-seq=\"43\" data-from=\"B\" hx-disable>"
				+ "<header><span class=\"name\">bob</span> <time datetime=\"2026-12-02T03:05:05Z\">03:05 UTC</time></header>"
				+ "<p class=\"text\">thanks (done)</p></article></div>");
	}

	@Test
	void theRateNoticeSaysSlowDown() {
		assertThat(examples.tooFast()).isEqualTo("<p id=\"chat-notice\" class=\"chat-notice\" role=\"status\""
				+ " hx-swap-oob=\"outerHTML\">You are sending messages too fast; wait a few seconds.</p>");
	}
}
