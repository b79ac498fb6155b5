package dev.confab.identity;

import java.util.List;
import java.util.Optional;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpCookie;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;

/**
 * Reads who is calling from the signed identity cookie on every request. No WebSession is ever
 * created; the one thing read from the database is the user's sign-out epoch (a primary-key
 * read), so that a cookie logged out on any instance counts nowhere. The cookie itself is
 * written by the login controller.
 */
final class CookieSecurityContextRepository implements ServerSecurityContextRepository {

	private final IdentityCookies cookies;

	private final SignOutEpochs epochs;

	CookieSecurityContextRepository(IdentityCookies cookies, SignOutEpochs epochs) {
		this.cookies = cookies;
		this.epochs = epochs;
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
		// Signatures first (no I/O); the database is asked only about cookies this server issued.
		List<SignIn> signIns = candidates.stream()
			.map(cookie -> cookies.verify(cookie.getValue()))
			.flatMap(Optional::stream)
			.toList();
		// Spring Security subscribes once per look at the context: read the epoch once per request.
		return Flux.fromIterable(signIns)
			.concatMap(signIn -> epochs.current(signIn.user().id())
				.filter(current -> current == signIn.signOutEpoch())
				.map(current -> (SecurityContext) new SecurityContextImpl(new CookieAuthentication(signIn))))
			.next()
			.cache();
	}
}
