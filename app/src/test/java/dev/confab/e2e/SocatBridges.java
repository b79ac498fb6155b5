package dev.confab.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.confab.e2e.LoopbackProcesses.Result;

/**
 * The {@code socat} bridges of one {@link LoopbackNetwork}: pairs of byte pipes that meet at a
 * Unix domain socket in the network's run folder (a file-system object, so it crosses
 * namespaces). See {@link LoopbackNetwork} for the picture. The socat processes are started
 * through the network, so its {@code close()} stops them. Not thread-safe on its own: the
 * network calls it holding its own lock.
 */
final class SocatBridges {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

	private final LoopbackNetwork network;

	private final Path socat;

	private final Map<Integer, Integer> hostPortsExposed = new LinkedHashMap<>();

	private final Map<Integer, Integer> namespacePortsExposed = new LinkedHashMap<>();

	SocatBridges(LoopbackNetwork network, Path socat) {
		this.network = network;
		this.socat = socat;
	}

	/**
	 * Makes {@code 127.0.0.1:port} of the host reachable inside the namespace at
	 * {@code 127.0.0.1:port} (and so {@code http://localhost:port}). Idempotent.
	 */
	void exposeHostPort(int port) {
		if (this.hostPortsExposed.containsKey(port)) {
			return;
		}
		Path socket = this.network.runDir().resolve("host-" + port + ".sock");
		this.network.startOnHost("socat-host-" + port + "-listen",
				List.of(this.socat.toString(), "-d", "-d",
						"UNIX-LISTEN:" + socket + ",fork,mode=600",
						"TCP4:127.0.0.1:" + port));
		awaitFile(socket, "socat for host port " + port);
		this.network.startInNamespace("socat-host-" + port + "-ns",
				List.of(this.socat.toString(), "-d", "-d",
						"TCP4-LISTEN:" + port + ",bind=127.0.0.1,fork,reuseaddr,backlog=128",
						"UNIX-CONNECT:" + socket));
		awaitNamespaceListener(port, "socat forwarding host port " + port + " into " + this.network.name());
		this.hostPortsExposed.put(port, port);
	}

	/**
	 * Makes {@code 127.0.0.1:nsPort} inside the namespace reachable from the host on a free
	 * host loopback port, which is returned. Idempotent.
	 */
	int exposeNamespacePort(int nsPort) {
		Integer known = this.namespacePortsExposed.get(nsPort);
		if (known != null) {
			return known;
		}
		Path socket = this.network.runDir().resolve("ns-" + nsPort + ".sock");
		this.network.startInNamespace("socat-ns-" + nsPort + "-listen",
				List.of(this.socat.toString(), "-d", "-d",
						"UNIX-LISTEN:" + socket + ",fork,mode=600",
						"TCP4:127.0.0.1:" + nsPort));
		awaitFile(socket, "socat for namespace port " + nsPort);
		IllegalStateException last = null;
		for (int attempt = 1; attempt <= 5; attempt++) {
			int hostPort = freeHostPort();
			Process process = this.network.startOnHost("socat-ns-" + nsPort + "-host-" + hostPort,
					List.of(this.socat.toString(), "-d", "-d",
							"TCP4-LISTEN:" + hostPort + ",bind=127.0.0.1,fork,reuseaddr,backlog=128",
							"UNIX-CONNECT:" + socket));
			try {
				awaitHostListener(hostPort, process, "socat forwarding namespace port " + nsPort);
				this.namespacePortsExposed.put(nsPort, hostPort);
				return hostPort;
			}
			catch (IllegalStateException ex) {
				last = ex; // most likely someone took the port in between; try another one
				process.destroyForcibly();
			}
		}
		throw last;
	}

	private void awaitFile(Path file, String what) {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (!Files.exists(file)) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(what + " did not create " + file + " within " + START_TIMEOUT
						+ "; see logs in " + this.network.logDir());
			}
			LoopbackProcesses.sleep(20);
		}
	}

	private void awaitNamespaceListener(int port, String what) {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (true) {
			Result listening = this.network.exec("ss", "-Hltn", "sport = :" + port);
			if (listening.exitCode() == 0 && !listening.output().isBlank()) {
				return;
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(what + ": nothing listens on 127.0.0.1:" + port + " in "
						+ this.network.name() + " after " + START_TIMEOUT + "; see logs in " + this.network.logDir());
			}
			LoopbackProcesses.sleep(30);
		}
	}

	/** Waits until something accepts on host 127.0.0.1:port. */
	void awaitHostListener(int port, Process owner, String what) {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (true) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
				return;
			}
			catch (IOException ex) {
				if (owner != null && !owner.isAlive()) {
					throw new IllegalStateException(what + " exited (code " + owner.exitValue() + ") before listening on 127.0.0.1:"
							+ port + "; see logs in " + this.network.logDir());
				}
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException(what + ": 127.0.0.1:" + port + " not accepting after " + START_TIMEOUT
							+ "; see logs in " + this.network.logDir());
				}
				LoopbackProcesses.sleep(30);
			}
		}
	}

	static int freeHostPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
