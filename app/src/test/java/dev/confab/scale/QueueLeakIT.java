package dev.confab.scale;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.confab.e2e.Waits;
import dev.confab.support.RawStompSocket;
import dev.confab.support.services.ConfabCluster;
import dev.confab.support.services.ConfabInstance;
import dev.confab.support.services.HttpLogin;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thousand sessions connect, subscribe to their personal queue, join and leave a call and
 * disconnect, spread over two instances; afterwards RabbitMQ's queues and bindings in the virtual
 * host are what they were before. Sessions cost the broker a binding each, never a queue, and
 * leave nothing behind; every queue there is exclusive or durable (RabbitMQ 4.3 refuses transient
 * queues that are not exclusive).
 */
class QueueLeakIT {

	private static final int SESSIONS = 1000;

	/** Sessions at once: enough to be quick, few enough per user for the 8-sockets-per-user limit. */
	private static final int PARALLEL = 32;

	private static final int USERS = 64;

	private static final int HELD = 20;

	private static final Pattern RTC_TYPE = Pattern.compile("\"type\":\"([a-z]+)\"");

	@RegisterExtension
	static final ConfabCluster cluster = new ConfabCluster();

	static List<ConfabInstance> instances;

	/** One WebSocket client per worker thread: a single shared one funnels every socket through one selector thread. */
	static final ThreadLocal<HttpClient> HTTP = ThreadLocal.withInitial(HttpClient::newHttpClient);

	@BeforeAll
	static void startTwoInstances() {
		instances = cluster.start("a", "b");
	}

	@Test
	void aThousandSessionsLeaveTheBrokersQueuesAsTheyFoundThem() throws Exception {
		HttpLogin login = new HttpLogin(instances.get(0).baseUrl());
		List<String> cookies = new ArrayList<>();
		for (int u = 0; u < USERS; u++) {
			cookies.add(login.login("leak" + u));
		}
		List<String> rooms = new ArrayList<>();
		for (int r = 0; r < PARALLEL; r++) {
			rooms.add(login.createRoom(cookies.get(0), "Leak " + r));
		}
		List<String> before = cluster.rabbit().queueNames();
		List<String> bindingsBefore = cluster.rabbit().bindings();

		// Sessions that are still open have bindings: the test can see what it is looking for.
		List<RawStompSocket> held = new ArrayList<>();
		try {
			for (int i = 0; i < HELD; i++) {
				RawStompSocket socket = RawStompSocket.open(HTTP.get(), instances.get(i % 2).port(), cookies.get(i % USERS));
				held.add(socket);
				socket.connect();
				subscribe(socket);
			}
			// Each RECEIPT came once the binding existed: no waiting here.
			List<String> during = cluster.rabbit().bindings();
			assertThat(during).containsAll(bindingsBefore);
			assertThat(during.stream().filter(binding -> binding.contains("/topic/events-user")))
					.as("one binding per subscribed session").hasSize(HELD);
			assertThat(cluster.rabbit().queueNames()).as("no queue per session").isEqualTo(before);
		}
		finally {
			held.forEach(RawStompSocket::close);
		}

		long started = System.nanoTime();
		AtomicInteger done = new AtomicInteger();
		Queue<String> failures = new ConcurrentLinkedQueue<>();
		ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
		try {
			List<Future<?>> all = new ArrayList<>();
			for (int i = 0; i < SESSIONS; i++) {
				int n = i;
				all.add(pool.submit(() -> {
					try {
						oneSession(instances.get(n % 2), cookies.get(n % USERS), rooms.get(n % PARALLEL));
						done.incrementAndGet();
					}
					catch (Exception | AssertionError ex) {
						failures.add("session " + n + ": " + ex);
					}
				}));
			}
			for (Future<?> each : all) {
				each.get(3, TimeUnit.MINUTES);
			}
		}
		finally {
			pool.shutdownNow();
		}
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		System.out.println("[confab-it] " + done.get() + " sessions in " + took.toMillis() + " ms; failures: "
				+ failures.size());
		assertThat(failures).as("failed sessions (of %s)", SESSIONS).isEmpty();
		assertThat(done.get()).isEqualTo(SESSIONS);

		List<String> after = Waits.until("RabbitMQ's bindings back to the " + bindingsBefore.size() + " from before",
				Duration.ofSeconds(30), () -> cluster.rabbit().bindings(), names -> names.equals(bindingsBefore));
		assertThat(after).containsExactlyElementsOf(bindingsBefore);
		assertThat(cluster.rabbit().queueNames()).containsExactlyElementsOf(before);
		// name, durable, auto_delete, exclusive
		assertThat(cluster.rabbit().queueProperties()).isNotEmpty().allSatisfy(queue -> {
			String[] columns = queue.split("\t");
			assertThat(columns[1].equals("true") || columns[3].equals("true")).as("exclusive or durable: %s", queue).isTrue();
		});
		assertThat(cluster.database().queryForLong("SELECT COUNT(*) FROM participants")).isZero();
	}

	/** Connect, subscribe, join, leave, disconnect: what a short visit to a call does over STOMP. */
	private static void oneSession(ConfabInstance instance, String cookie, String room) throws Exception {
		String step = "open";
		try (RawStompSocket socket = RawStompSocket.open(HTTP.get(), instance.port(), cookie)) {
			step = "connect";
			socket.connect();
			step = "subscribe";
			subscribe(socket);
			step = "join";
			socket.send("SEND\ndestination:/app/room/" + room + "/join\ncontent-type:application/json\n\n{}\0");
			// Others may be in the room for a moment (sessions share rooms): wait for this session's own "others".
			awaitFrame(socket, frame -> frame.contains("\"type\":\"others\""));
			step = "leave and disconnect";
			socket.send("SEND\ndestination:/app/room/" + room + "/leave\ncontent-type:application/json\n\n{}\0");
			socket.send("DISCONNECT\nreceipt:bye\n\n\0");
			awaitFrame(socket, frame -> frame.startsWith("RECEIPT") && frame.contains("receipt-id:bye"));
		}
		catch (Exception | AssertionError ex) {
			throw new AssertionError("on " + instance.name() + " at " + step + ": " + ex.getMessage(), ex);
		}
	}

	/** Reads frames until one is wanted; on failure says which frames did come (command and rtc type). */
	private static void awaitFrame(RawStompSocket socket, Predicate<String> wanted) throws InterruptedException {
		List<String> seen = new ArrayList<>();
		while (true) {
			String frame;
			try {
				frame = socket.next();
			}
			catch (AssertionError timeout) {
				throw new AssertionError(timeout.getMessage() + "; before that: " + seen);
			}
			if (frame.startsWith("ERROR")) {
				throw new AssertionError("ERROR frame: " + frame);
			}
			if (wanted.test(frame)) {
				return;
			}
			Matcher type = RTC_TYPE.matcher(frame);
			seen.add(frame.substring(0, Math.max(0, frame.indexOf('\n'))) + (type.find() ? " " + type.group(1) : ""));
		}
	}

	private static void subscribe(RawStompSocket socket) throws InterruptedException {
		socket.send("SUBSCRIBE\nid:0\ndestination:/user/queue/events\nreceipt:sub\n\n\0");
		String receipt = socket.next();
		if (!receipt.startsWith("RECEIPT")) {
			throw new AssertionError("Expected the SUBSCRIBE's RECEIPT, got " + receipt);
		}
	}
}
