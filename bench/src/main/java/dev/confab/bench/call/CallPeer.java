package dev.confab.bench.call;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.confab.bench.client.ClientPool;
import dev.confab.bench.client.StompClient;
import dev.confab.bench.client.StompEndpoint;
import dev.confab.bench.client.StompFrame;

/**
 * A browser tab in a call, minus the media: joins as the talk's sequence says, offers (with
 * candidates) to everyone its {@code others} names, answers every offer it gets, and can resume
 * on another connection. Driven by frame callbacks only. docs/protocol.md, "Join", "Signal", "Resume".
 */
public final class CallPeer implements StompClient.Listener {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final String cookie;

	private final String room;

	private final Signalling signalling;

	/** Peers in the call and the epoch we know, as a resume names them. */
	private final Map<String, Integer> peers = new ConcurrentHashMap<>();

	/** Per peer we offered to during the current join: what has not come back yet ("answer", "end"). */
	private final Map<String, Set<String>> awaiting = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> events = new ConcurrentHashMap<>();

	private final Queue<String> problems = new ConcurrentLinkedQueue<>();

	/** Connections whose end {@link #onDropped} heard of already (an ERROR comes before its close). */
	private final Set<StompClient> dropTold = ConcurrentHashMap.newKeySet();

	private volatile StompClient client;

	private volatile String id;

	private volatile String secret;

	private volatile JoinTiming joining;

	private volatile String lastError;

	private volatile CompletableFuture<Long> resumed;

	private volatile Consumer<CallPeer> onDropped = peer -> {
	};

	public CallPeer(String cookie, String room, Signalling signalling) {
		this.cookie = cookie;
		this.room = room;
		this.signalling = signalling;
	}

	/** When the current connection ends without our doing (an ERROR, a dropped socket): told once per connection. */
	public void onDropped(Consumer<CallPeer> whenDropped) {
		this.onDropped = whenDropped;
	}

	/** Connects to the instance on {@code port} and subscribes to the personal queue (receipt awaited). */
	public CompletableFuture<CallPeer> connect(ClientPool pool, int port) {
		return pool.connect(StompEndpoint.confab(port, this.cookie, 0), this).thenCompose(connected -> {
			this.client = connected;
			return connected.subscribe("/user/queue/events");
		}).thenApply(ok -> this);
	}

	/** Sends the join; completes once every participant before us answered our offer and ended its candidates. */
	public CompletableFuture<JoinTiming> join() {
		JoinTiming timing = new JoinTiming(System.nanoTime());
		this.awaiting.clear();
		this.joining = timing;
		this.client.send("/app/room/" + this.room + "/join", "{}");
		return timing.done().orTimeout(60, TimeUnit.SECONDS);
	}

	/** Leaves the call (the socket stays). */
	public void leave() {
		this.client.send("/app/room/" + this.room + "/leave", "{}");
	}

	/**
	 * Resumes this participant on a new connection to {@code port}: connect, personal queue, then
	 * {@code /app/resume} naming every peer as live. Completes with the nanoTime of {@code resumed}.
	 */
	public CompletableFuture<Long> resume(ClientPool pool, int port) {
		CompletableFuture<Long> done = new CompletableFuture<>();
		this.resumed = done;
		connect(pool, port).thenAccept(self -> this.client.send("/app/resume", resumeBody()))
			.exceptionally(failure -> {
				done.completeExceptionally(failure);
				return null;
			});
		return done;
	}

	/** DISCONNECT: the participant leaves at once, and the socket closes. */
	public CompletableFuture<Void> disconnect() {
		StompClient current = this.client;
		return current == null ? CompletableFuture.completedFuture(null) : current.disconnect();
	}

	public void abort() {
		StompClient current = this.client;
		if (current != null) {
			current.abort();
		}
	}

	public String id() {
		return this.id;
	}

	public boolean knows(String participant) {
		return this.peers.containsKey(participant);
	}

	/** How many of each rtc event type came, e.g. {@code back} after a peer resumed. */
	public int events(String type) {
		AtomicInteger n = this.events.get(type);
		return n == null ? 0 : n.get();
	}

	/** The message of the last ERROR the server sent, e.g. "Server shutting down; reconnect.". */
	public String lastError() {
		return this.lastError;
	}

	public Queue<String> problems() {
		return this.problems;
	}

	@Override
	public void onMessage(StompClient from, StompFrame message) {
		JsonNode rtc = JSON.readTree(message.body()).get("rtc");
		if (rtc == null) {
			return;
		}
		String type = rtc.path("type").asString();
		this.events.computeIfAbsent(type, t -> new AtomicInteger()).incrementAndGet();
		switch (type) {
			case "connect" -> {
				this.id = rtc.path("id").asString();
				this.secret = rtc.path("secret").asString();
			}
			case "others" -> offerToAll(rtc.path("others"));
			case "other" -> this.peers.put(rtc.path("id").asString(), rtc.path("epoch").asInt());
			case "disconnected" -> {
				this.peers.remove(rtc.path("id").asString());
				settled(rtc.path("id").asString(), null);
			}
			case "signal" -> onSignal(rtc);
			case "resumed" -> onResumed(rtc);
			default -> {
				// back, renew, refused ...: counted above
			}
		}
	}

	@Override
	public void onError(StompClient from, StompFrame error) {
		if (from == this.client) {
			this.lastError = error.header("message");
			dropped(from);
		}
	}

	@Override
	public void onClosed(StompClient from, int code, Throwable cause) {
		dropped(from);
	}

	/** The current connection ended: a resume in flight on it failed, and the owner is told (once). */
	private void dropped(StompClient from) {
		if (from == this.client && this.dropTold.add(from)) {
			CompletableFuture<Long> waiting = this.resumed;
			if (waiting != null) {
				waiting.completeExceptionally(new IllegalStateException("connection ended while resuming: " + this.lastError));
			}
			this.onDropped.accept(this);
		}
	}

	private void offerToAll(JsonNode others) {
		JoinTiming timing = this.joining;
		this.peers.clear();
		others.forEach(other -> {
			String peer = other.path("id").asString();
			this.peers.put(peer, other.path("epoch").asInt());
			this.awaiting.put(peer, ConcurrentHashMap.newKeySet());
			this.awaiting.get(peer).addAll(Set.of("answer", "end"));
		});
		if (timing != null) {
			timing.othersCame(others.size() == 0);
		}
		others.forEach(other -> sendAll(this.signalling.bodies(other.path("id").asString(), true)));
	}

	private void onSignal(JsonNode rtc) {
		String from = rtc.path("from").asString();
		JsonNode description = rtc.get("description");
		if (description != null) {
			String type = description.path("type").asString();
			if ("offer".equals(type)) {
				sendAll(this.signalling.bodies(from, false));
			}
			else if ("answer".equals(type)) {
				settled(from, "answer");
			}
		}
		else if (rtc.has("candidate") && rtc.get("candidate").isNull()) {
			settled(from, "end");
		}
	}

	/** {@code what} came from {@code peer} (null: the peer left, nothing more will come). */
	private void settled(String peer, String what) {
		Set<String> missing = this.awaiting.get(peer);
		if (missing == null) {
			return;
		}
		if (what == null) {
			missing.clear();
		}
		else {
			missing.remove(what);
		}
		if (missing.isEmpty()) {
			this.awaiting.remove(peer);
			JoinTiming timing = this.joining;
			if (timing != null && this.awaiting.isEmpty()) {
				timing.negotiated();
			}
		}
	}

	private void onResumed(JsonNode rtc) {
		rtc.path("others").forEach(other -> {
			if (!other.path("live").asBoolean()) {
				this.problems.add("not live after resuming: " + other.path("id").asString());
			}
		});
		CompletableFuture<Long> waiting = this.resumed;
		if (waiting != null) {
			waiting.complete(System.nanoTime());
		}
	}

	private void sendAll(String[] bodies) {
		for (String body : bodies) {
			this.client.send("/app/signal", body);
		}
	}

	private String resumeBody() {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", this.id);
		body.put("secret", this.secret);
		body.put("fresh", false);
		body.put("peers", Map.copyOf(this.peers));
		return JSON.writeValueAsString(body);
	}
}
