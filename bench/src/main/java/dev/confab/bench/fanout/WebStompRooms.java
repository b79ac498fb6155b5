package dev.confab.bench.fanout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.confab.bench.client.ClientPool;
import dev.confab.bench.client.StompClient;
import dev.confab.bench.client.StompFrame;
import dev.confab.bench.lab.WebStompTarget;

/** The floor: clients straight on RabbitMQ Web-STOMP, one {@code /topic} per room, one broker hop. */
final class WebStompRooms implements RoomGroup, StompClient.Listener {

	/** Web-STOMP closes a WebSocket that sent nothing for 60 s; receivers never send otherwise. */
	private static final long KEEP_ALIVE_MILLIS = 10_000;

	private final List<StompClient> senders = new ArrayList<>();

	private final List<StompClient> everyone = new ArrayList<>();

	private volatile Deliveries current = new Deliveries(-1);

	private WebStompRooms() {
	}

	static WebStompRooms open(ClientPool pool, WebStompTarget target, int rooms) {
		WebStompRooms group = new WebStompRooms();
		List<CompletableFuture<Void>> ready = new ArrayList<>();
		for (int r = 0; r < rooms; r++) {
			String topic = topic(r);
			for (int i = 0; i < RECEIVERS; i++) {
				ready.add(pool.connect(target.endpoint(), group).thenCompose(client -> {
					group.remember(client);
					client.keepAlive(pool.timer(), KEEP_ALIVE_MILLIS);
					return client.subscribe(topic);
				}));
			}
		}
		CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
		for (int r = 0; r < rooms; r++) {
			StompClient sender = pool.connect(target.endpoint(), group).join();
			sender.keepAlive(pool.timer(), KEEP_ALIVE_MILLIS);
			group.remember(sender);
			group.senders.add(sender);
		}
		return group;
	}

	private static String topic(int room) {
		return "/topic/bench.room-" + room;
	}

	private synchronized void remember(StompClient client) {
		this.everyone.add(client);
	}

	@Override
	public int rooms() {
		return this.senders.size();
	}

	@Override
	public void measure(Deliveries deliveries) {
		this.current = deliveries;
	}

	@Override
	public void send(int room, Deliveries deliveries, int bytes) {
		this.senders.get(room).sendText(() -> StompFrame.of("SEND", "destination", topic(room), "content-type", "text/plain")
			.withBody(RoomGroup.padded(deliveries.marker(System.nanoTime()), bytes, 0)).encode());
	}

	@Override
	public void onMessage(StompClient client, StompFrame message) {
		this.current.record(message.body());
	}

	@Override
	public void onError(StompClient client, StompFrame error) {
		this.current.problem("ERROR from RabbitMQ: " + error.header("message"));
	}

	@Override
	public void onClosed(StompClient client, int code, Throwable cause) {
		this.current.problem("socket closed (" + code + ")");
	}

	@Override
	public synchronized void close() {
		this.everyone.forEach(StompClient::close);
	}
}
