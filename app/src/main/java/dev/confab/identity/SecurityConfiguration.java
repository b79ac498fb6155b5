package dev.confab.identity;

import reactor.core.publisher.Mono;

import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.EndpointRequest;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.csrf.CookieServerCsrfTokenRepository;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher.MatchResult;
import org.springframework.web.server.ServerWebExchange;

/**
 * Web security. Who you are comes from the signed cookie and the user's sign-out epoch in the
 * database (no WebSession), so any instance can serve any request. CSRF tokens live in a
 * cookie for the same reason. Pages get Spring Security's default headers plus a
 * Content-Security-Policy that allows same-origin scripts and styles only.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

	/**
	 * No inline script or style anywhere. htmx 2 injects an inline {@code <style>} for its
	 * indicators unless pages set {@code includeIndicatorStyles: false} (meta
	 * {@code htmx-config}); they must, rather than loosening style-src.
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; media-src 'self' blob:;"
			+ " connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

	private static final String[] PUBLIC_PATHS = { "/login", "/css/**", "/js/**", "/webjars/**", "/img/**", "/favicon.ico",
			"/error" };

	@Bean
	SecurityWebFilterChain confabSecurityFilterChain(ServerHttpSecurity http, IdentityCookies cookies,
			SignOutEpochs epochs, ServerCsrfTokenRepository csrfTokens) {
		return http.securityContextRepository(new CookieSecurityContextRepository(cookies, epochs))
			.requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.authorizeExchange(exchanges -> exchanges.pathMatchers(PUBLIC_PATHS)
				.permitAll()
				.anyExchange()
				.authenticated())
			.exceptionHandling(handling -> handling.authenticationEntryPoint(new LoginRedirectEntryPoint()))
			.csrf(csrf -> csrf.csrfTokenRepository(csrfTokens))
			.headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)))
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.build();
	}

	/**
	 * The management server ({@code management.server.port}): health and metrics for probes and
	 * Prometheus, without a login, and nothing else. WebFlux serves the application's own handler
	 * mappings there too (the STOMP endpoint, static files: spring-boot#14012), so anything but an
	 * endpoint is a 404, and no cookie is read. The public port has no {@code /actuator} at all.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SecurityWebFilterChain managementServerFilterChain(ServerHttpSecurity http) {
		return http.securityMatcher(SecurityConfiguration::onManagementServer)
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.authorizeExchange(exchanges -> exchanges.matchers(EndpointRequest.toAnyEndpoint())
				.permitAll()
				.anyExchange()
				.denyAll())
			.exceptionHandling(handling -> handling.authenticationEntryPoint((exchange, ex) -> notFound(exchange))
				.accessDeniedHandler((exchange, denied) -> notFound(exchange)))
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.build();
	}

	private static Mono<MatchResult> onManagementServer(ServerWebExchange exchange) {
		return WebServerApplicationContext.hasServerNamespace(exchange.getApplicationContext(),
				WebServerNamespace.MANAGEMENT.getValue()) ? MatchResult.match() : MatchResult.notMatch();
	}

	private static Mono<Void> notFound(ServerWebExchange exchange) {
		exchange.getResponse().setStatusCode(HttpStatus.NOT_FOUND);
		return exchange.getResponse().setComplete();
	}

	/** CSRF tokens in an HttpOnly cookie: stateless, valid on every instance. */
	@Bean
	ServerCsrfTokenRepository csrfTokenRepository() {
		CookieServerCsrfTokenRepository csrfTokens = new CookieServerCsrfTokenRepository();
		csrfTokens.setCookieCustomizer(cookie -> cookie.sameSite("Lax"));
		return csrfTokens;
	}

	/**
	 * Nothing logs in through Spring Security's authentication managers: the login
	 * controller checks the names and issues the cookie. This bean says so, and keeps
	 * Spring Boot from creating a default user with a generated password.
	 */
	@Bean
	ReactiveAuthenticationManager noPasswordLogins() {
		return authentication -> Mono.empty();
	}
}
