package dev.confab.bench.fanout;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.json.JsonMapper;

import dev.confab.bench.call.BenchUsers;
import dev.confab.bench.client.ClientPool;
import dev.confab.bench.client.ConfabPages;
import dev.confab.bench.client.StompClient;
import dev.confab.bench.client.StompEndpoint;
import dev.confab.bench.client.StompFrame;
import dev.confab.bench.lab.Deployment;

/**
 * Rooms of six on Confab: everyone joins the room's call, the sender last, so its {@code others}
 * names the five receivers. A message is one {@code /app/signal} to each of them (a signal goes to
 * one participant; it is the path a browser's offers and candidates take). Session {@code n} of the
 * group connects to the deployment's instances in turn, so in relay mode every room spans both.
 */
final class ConfabRooms implements RoomGroup {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** {"to":"<22 chars>","description":{"type":"offer","sdp":"..."}} without the sdp's text. */
	private static final int SIGNAL_WRAPPING = "{\"to\":\"\",\"description\":{\"type\":\"offer\",\"sdp\":\"\"}}".length() + 22;

	private final List<Room> rooms = new ArrayList<>();

	private final Queue<StompClient> everyone = new ConcurrentLinkedQueue<>();

	private volatile Deliveries current = new Deliveries(-1);

	private record Room(StompClient sender, List<String> receivers) {
	}

	static ConfabRooms open(ClientPool pool, Deployment deployment, int rooms) {
		ConfabRooms group = new ConfabRooms();
		BenchUsers users = new BenchUsers(new ConfabPages(deployment.instance(0).port()), "fan");
		ExecutorService setup = Executors.newFixedThreadPool(4);
		try {
			List<CompletableFuture<Room>> filling = new ArrayList<>();
			for (int r = 0; r < rooms; r++) {
				int room = r;
				filling.add(CompletableFuture.supplyAsync(() -> group.fill(pool, deployment, users, room), setup));
			}
			filling.forEach(room -> group.rooms.add(room.join()));
			return group;
		}
		catch (RuntimeException ex) {
			group.close();
			throw ex;
		}
		finally {
			setup.shutdown();
		}
	}

	/** One room: five receivers join one after the other, then the sender. */
	private Room fill(ClientPool pool, Deployment deployment, BenchUsers users, int room) {
		String cookie = users.login(room);
		String slug = users.room(cookie, room);
		for (int i = 1; i <= RECEIVERS; i++) {
			join(pool, deployment.instanceFor(room * 6 + i).port(), cookie, slug);
		}
		Joined sender = join(pool, deployment.instanceFor(room * 6).port(), cookie, slug);
		List<String> receivers = new ArrayList<>();
		JSON.readTree(sender.others).path("rtc").path("others").forEach(other -> receivers.add(other.path("id").asString()));
		if (receivers.size() != RECEIVERS) {
			throw new IllegalStateException("The sender of room " + slug + " sees " + receivers.size() + " others, not " + RECEIVERS);
		}
		return new Room(sender.client, receivers);
	}

	private record Joined(StompClient client, String others) {
	}

	private Joined join(ClientPool pool, int port, String cookie, String slug) {
		CompletableFuture<String> others = new CompletableFuture<>();
		StompClient client = pool.connect(StompEndpoint.confab(port, cookie, 0), new StompClient.Listener() {
			@Override
			public void onMessage(StompClient self, StompFrame message) {
				String body = message.body();
				if (!others.isDone() && body.contains("\"type\":\"others\"")) {
					others.complete(body);
				}
				ConfabRooms.this.current.record(body);
			}

			@Override
			public void onError(StompClient self, StompFrame error) {
				others.completeExceptionally(new IllegalStateException("ERROR: " + error.header("message")));
				ConfabRooms.this.current.problem("ERROR from Confab: " + error.header("message"));
			}

			@Override
			public void onClosed(StompClient self, int code, Throwable cause) {
				ConfabRooms.this.current.problem("socket closed (" + code + ")");
			}
		}).join();
		this.everyone.add(client);
		client.subscribe("/user/queue/events").join();
		client.send("/app/room/" + slug + "/join", "{}");
		return new Joined(client, others.orTimeout(30, TimeUnit.SECONDS).join());
	}

	@Override
	public int rooms() {
		return this.rooms.size();
	}

	@Override
	public void measure(Deliveries deliveries) {
		this.current = deliveries;
	}

	@Override
	public void send(int room, Deliveries deliveries, int bytes) {
		Room to = this.rooms.get(room);
		for (String receiver : to.receivers) {
			to.sender.send("/app/signal", () -> {
				String sdp = RoomGroup.padded(deliveries.marker(System.nanoTime()), bytes, SIGNAL_WRAPPING);
				return "{\"to\":\"" + receiver + "\",\"description\":{\"type\":\"offer\",\"sdp\":\"" + sdp + "\"}}";
			});
		}
	}

	@Override
	public void close() {
		this.everyone.forEach(StompClient::close);
	}
}
