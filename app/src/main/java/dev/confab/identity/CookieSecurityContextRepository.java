package dev.confab.identity;

import java.util.List;
import java.util.Optional;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpCookie;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;

/**
 * Reads who is calling from the signed identity cookie on every request. Stateless:
 * nothing is saved on the server, and no WebSession is ever created. The cookie itself
 * is written by the login controller.
 */
final class CookieSecurityContextRepository implements ServerSecurityContextRepository {

	private final IdentityCookies cookies;

	CookieSecurityContextRepository(IdentityCookies cookies) {
		this.cookies = cookies;
	}

	@Override
	public Mono<Void> save(ServerWebExchange exchange, SecurityContext context) {
		return Mono.empty();
	}

	@Override
	public Mono<SecurityContext> load(ServerWebExchange exchange) {
		List<HttpCookie> candidates = exchange.getRequest().getCookies().get(cookies.cookieName());
		if (candidates == null) {
			return Mono.empty();
		}
		return Mono.justOrEmpty(candidates.stream()
			.map(cookie -> cookies.verify(cookie.getValue()))
			.flatMap(Optional::stream)
			.findFirst()
			.map(user -> (SecurityContext) new SecurityContextImpl(new CookieAuthentication(user))));
	}
}
