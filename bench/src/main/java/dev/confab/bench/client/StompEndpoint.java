package dev.confab.bench.client;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a STOMP-over-WebSocket client connects and what it says: the WebSocket URL, the handshake's
 * HTTP headers and the CONNECT frame's headers.
 */
public record StompEndpoint(URI uri, Map<String, String> handshakeHeaders, Map<String, String> connectHeaders) {

	/**
	 * A Confab instance on this machine: the identity cookie and the page's own Origin, as a browser
	 * on {@code http://localhost:<port>} sends them. {@code heartbeatMillis} 0: no heart-beats.
	 */
	public static StompEndpoint confab(int port, String cookie, long heartbeatMillis) {
		Map<String, String> connect = new LinkedHashMap<>();
		connect.put("accept-version", "1.2");
		connect.put("host", "localhost");
		connect.put("heart-beat", heartbeatMillis + "," + heartbeatMillis);
		return new StompEndpoint(URI.create("ws://localhost:" + port + "/stomp"),
				Map.of("Cookie", cookie, "Origin", "http://localhost:" + port), connect);
	}

	/** RabbitMQ's Web-STOMP plugin: the virtual host as {@code host}, the user's login in CONNECT. */
	public static StompEndpoint webStomp(String host, int port, String virtualHost, String login, String passcode) {
		Map<String, String> connect = new LinkedHashMap<>();
		connect.put("accept-version", "1.2");
		connect.put("host", virtualHost);
		connect.put("login", login);
		connect.put("passcode", passcode);
		connect.put("heart-beat", "0,0");
		return new StompEndpoint(URI.create("ws://" + host + ":" + port + "/ws"), Map.of(), connect);
	}
}
