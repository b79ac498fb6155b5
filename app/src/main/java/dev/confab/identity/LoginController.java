package dev.confab.identity;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRepository;
import org.springframework.stereotype.Controller;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;

/** The login form, logging in, logging out. */
@Controller
class LoginController {

	static final String LOGIN_VIEW = "login";

	static final String CONTINUE = "continue";

	static final String TOO_MANY_ATTEMPTS = "Too many login attempts from your address. Wait a minute and try again.";

	private static final Log logger = LogFactory.getLog(LoginController.class);

	private final LoginService logins;

	private final IdentityCookies cookies;

	private final ServerCsrfTokenRepository csrfTokens;

	private final ApplicationEventPublisher events;

	private final LoginRateLimit loginRate;

	private final SignOutEpochs epochs;

	LoginController(LoginService logins, IdentityCookies cookies, ServerCsrfTokenRepository csrfTokens,
			ApplicationEventPublisher events, LoginRateLimit loginRate, SignOutEpochs epochs) {
		this.loginRate = loginRate;
		this.epochs = epochs;
		this.logins = logins;
		this.cookies = cookies;
		this.csrfTokens = csrfTokens;
		this.events = events;
	}

	@GetMapping("/login")
	Mono<Rendering> form(@RequestParam(name = CONTINUE, required = false) String continueParam,
			ServerWebExchange exchange) {
		String next = ContinuePaths.sanitize(continueParam);
		return currentUser(exchange).map(user -> redirect(next))
			.defaultIfEmpty(page(LoginForm.EMPTY, null, null, next, HttpStatus.OK));
	}

	@PostMapping("/login")
	Mono<Rendering> login(ServerWebExchange exchange) {
		return exchange.getFormData().flatMap(form -> login(form, exchange));
	}

	private Mono<Rendering> login(MultiValueMap<String, String> form, ServerWebExchange exchange) {
		String screenName = form.getFirst(ScreenName.FIELD);
		String realName = form.getFirst(RealName.FIELD);
		String next = ContinuePaths.sanitize(form.getFirst(CONTINUE));
		Mono<ConfabUser> attempt = this.loginRate.tryAttempt(exchange.getRequest())
				? logins.login(screenName, realName)
				: Mono.error(new LoginRefusedException(HttpStatus.TOO_MANY_REQUESTS, ScreenName.FIELD, TOO_MANY_ATTEMPTS));
		// Issued under the current epoch: a login after a logout counts, the cookies before it do not.
		return attempt
			.flatMap(user -> epochs.current(user.id())
				.doOnNext(epoch -> exchange.getResponse()
					.addCookie(cookies.issue(user, epoch, IdentityCookies.isSecure(exchange.getRequest())))))
			.flatMap(issued -> dropCsrfToken(exchange).thenReturn(redirect(next)))
			.onErrorResume(LoginRefusedException.class,
					ex -> Mono.just(page(new LoginForm(screenName, realName), ex.getMessage(), ex.field(), next,
							ex.status())));
	}

	/**
	 * Ends the identity everywhere: the next sign-out epoch revokes every cookie issued so far,
	 * copies included, on every instance; then the user's sockets close on every instance. The
	 * epoch comes first, so a socket opened meanwhile either sees it or is closed.
	 */
	@PostMapping("/logout")
	Mono<Rendering> logout(ServerWebExchange exchange) {
		exchange.getResponse().addCookie(cookies.expire(IdentityCookies.isSecure(exchange.getRequest())));
		return currentUser(exchange).flatMap(user -> epochs.signOut(user.id()).thenReturn(user))
			.doOnNext(user -> closeConnections(user.getName()))
			.then(dropCsrfToken(exchange))
			.thenReturn(redirect(LoginRedirectEntryPoint.LOGIN));
	}

	/** A new CSRF token whenever who is logged in changes, as Spring Security does for its own logins. */
	private Mono<Void> dropCsrfToken(ServerWebExchange exchange) {
		return csrfTokens.saveToken(exchange, null);
	}

	private void closeConnections(String userName) {
		try {
			this.events.publishEvent(new UserLoggedOut(userName));
		}
		catch (RuntimeException ex) {
			logger.warn("Could not close the sockets of user " + userName + " on logout", ex);
		}
	}

	private static Rendering page(LoginForm form, String error, String errorField, String next, HttpStatus status) {
		Rendering.Builder<?> page = Rendering.view(LOGIN_VIEW)
			.modelAttribute("form", form)
			.modelAttribute("continuePath", next)
			.status(status);
		if (error != null) {
			page.modelAttribute("error", error).modelAttribute("errorField", errorField);
		}
		return page.build();
	}

	private static Rendering redirect(String localPath) {
		return Rendering.redirectTo(localPath).build();
	}

	private static Mono<ConfabUser> currentUser(ServerWebExchange exchange) {
		return exchange.getPrincipal()
			.filter(Authentication.class::isInstance)
			.map(principal -> ((Authentication) principal).getPrincipal())
			.filter(ConfabUser.class::isInstance)
			.cast(ConfabUser.class);
	}
}
