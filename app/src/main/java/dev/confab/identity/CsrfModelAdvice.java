package dev.confab.identity;

import reactor.core.publisher.Mono;

import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;

/**
 * Gives every view the CSRF token as {@code _csrf}, so a form writes
 * {@code <input type="hidden" th:name="${_csrf.parameterName}" th:value="${_csrf.token}">}.
 * Resolving it generates the token, and sets its cookie, when the request has none yet.
 */
@ControllerAdvice
class CsrfModelAdvice {

	static final String ATTRIBUTE = "_csrf";

	@ModelAttribute(ATTRIBUTE)
	Mono<CsrfToken> csrfToken(ServerWebExchange exchange) {
		Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
		return (token != null) ? token : Mono.empty();
	}
}
