package dev.confab.identity;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriUtils;

/**
 * What an anonymous request gets. A page (GET or HEAD) is redirected to
 * {@code /login?continue=<path and query>}; the WebSocket endpoint and WebSocket
 * handshakes get a bare 401, since a script cannot follow a redirect there; an htmx
 * request gets 401 with {@code HX-Redirect} so htmx loads the login page instead of
 * swapping it into a fragment; any other method is sent to the login page.
 */
final class LoginRedirectEntryPoint implements ServerAuthenticationEntryPoint {

	static final String LOGIN = "/login";

	private static final String STOMP = "/stomp";

	@Override
	public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException ex) {
		ServerHttpRequest request = exchange.getRequest();
		ServerHttpResponse response = exchange.getResponse();
		String path = request.getPath().pathWithinApplication().value();
		if (path.equals(STOMP) || path.startsWith(STOMP + "/") || isWebSocketHandshake(request)) {
			response.setStatusCode(HttpStatus.UNAUTHORIZED);
			return response.setComplete();
		}
		if ("true".equals(request.getHeaders().getFirst("HX-Request"))) {
			response.setStatusCode(HttpStatus.UNAUTHORIZED);
			response.getHeaders().set("HX-Redirect", LOGIN);
			return response.setComplete();
		}
		boolean page = HttpMethod.GET.equals(request.getMethod()) || HttpMethod.HEAD.equals(request.getMethod());
		response.setStatusCode(HttpStatus.SEE_OTHER);
		response.getHeaders().setLocation(URI.create(page ? LOGIN + "?continue=" + continueParam(request) : LOGIN));
		return response.setComplete();
	}

	private static String continueParam(ServerHttpRequest request) {
		String target = request.getPath().pathWithinApplication().value();
		String query = request.getURI().getRawQuery();
		if (query != null) {
			target += "?" + query;
		}
		return UriUtils.encodeQueryParam(ContinuePaths.sanitize(target), StandardCharsets.UTF_8);
	}

	private static boolean isWebSocketHandshake(ServerHttpRequest request) {
		return "websocket".equalsIgnoreCase(request.getHeaders().getUpgrade());
	}
}
