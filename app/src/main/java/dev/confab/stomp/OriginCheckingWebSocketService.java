package dev.confab.stomp;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * Refuses WebSocket handshakes from other sites (cross-site WebSocket hijacking): the browser
 * sends the identity cookie with any handshake, so the Origin is what tells our pages from others.
 * While the instance drains for shutdown, every handshake is refused with 503.
 */
class OriginCheckingWebSocketService extends HandshakeWebSocketService {

	private final List<String> allowedOrigins;

	private final BooleanSupplier draining;

	OriginCheckingWebSocketService(RequestUpgradeStrategy upgradeStrategy, List<String> allowedOrigins,
			BooleanSupplier draining) {
		super(upgradeStrategy);
		this.allowedOrigins = allowedOrigins.stream().map(OriginCheckingWebSocketService::normalize).toList();
		this.draining = draining;
	}

	@Override
	public Mono<Void> handleRequest(ServerWebExchange exchange, WebSocketHandler handler) {
		if (this.draining.getAsBoolean()) {
			// A load balancer tries the next instance on 503 (infra/nginx/confab.conf); a browser retries.
			exchange.getResponse().setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
			return exchange.getResponse().setComplete();
		}
		String origin = exchange.getRequest().getHeaders().getFirst(HttpHeaders.ORIGIN);
		if (origin == null || !allowed(normalize(origin), exchange.getRequest().getURI())) {
			exchange.getResponse().setStatusCode(HttpStatus.FORBIDDEN);
			return exchange.getResponse().setComplete();
		}
		return super.handleRequest(exchange, handler);
	}

	private boolean allowed(String origin, URI request) {
		return origin.equals(ownOrigin(request)) || this.allowedOrigins.contains(origin);
	}

	/** The page's own origin: ws becomes http, wss becomes https, default ports dropped. */
	private static String ownOrigin(URI request) {
		String scheme = request.getScheme().toLowerCase(Locale.ROOT);
		String web = scheme.equals("wss") || scheme.equals("https") ? "https" : "http";
		return normalize(web + "://" + request.getRawAuthority());
	}

	private static String normalize(String origin) {
		String lower = origin.trim().toLowerCase(Locale.ROOT);
		if (lower.startsWith("http://") && lower.endsWith(":80")) {
			return lower.substring(0, lower.length() - 3);
		}
		if (lower.startsWith("https://") && lower.endsWith(":443")) {
			return lower.substring(0, lower.length() - 4);
		}
		return lower;
	}
}
