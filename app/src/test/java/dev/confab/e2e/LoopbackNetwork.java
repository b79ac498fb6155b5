package dev.confab.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import dev.confab.e2e.LoopbackProcesses.Result;

/**
 * A network namespace that holds nothing but {@code lo}, plus {@code socat} bridges through
 * Unix domain sockets (file-system objects, so they cross namespaces) between it and the
 * host's loopback.
 * <pre>
 *  host 127.0.0.1:P  &lt;-- socat --  host-P.sock  &lt;-- socat (in ns) --  ns 127.0.0.1:P      exposeHostPort(P)
 *  host 127.0.0.1:H  -- socat -->  ns-Q.sock   -- socat (in ns) -->  ns 127.0.0.1:Q      exposeNamespacePort(Q) = H
 * </pre>
 * Both are plain byte pipes, so HTTP keep-alive and WebSocket upgrades pass unchanged.
 * IPv6 is switched off inside the namespace so that {@code 127.0.0.1} is its only address:
 * WebRTC there gathers exactly one host candidate per peer connection, and {@code localhost}
 * resolves to that address only.
 * <p>
 * Every process started through this class is killed by {@link #close()}, and so is anything
 * else still running inside the namespace, which is then deleted. A JVM shutdown hook does
 * the same if the test run dies before {@code close()}.
 * <p>
 * This class owns the namespace's life cycle; the bridges are in {@link SocatBridges}, and
 * starting, running and killing processes is in {@link LoopbackProcesses}.
 */
final class LoopbackNetwork implements AutoCloseable {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final String OWNER_FILE = "owner.pid";

	private final E2ePrerequisites.Tools tools;

	private final String name;

	private final Path logDir;

	/** Short path for the Unix sockets (sun_path holds at most 107 bytes). */
	private final Path runDir;

	private final LoopbackProcesses processes;

	private final SocatBridges bridges;

	private final Thread shutdownHook;

	private LoopbackNetwork(E2ePrerequisites.Tools tools, String name, Path logDir, Path runDir) {
		this.tools = tools;
		this.name = name;
		this.logDir = logDir;
		this.runDir = runDir;
		this.processes = new LoopbackProcesses(name, logDir);
		this.bridges = new SocatBridges(this, tools.socat());
		this.shutdownHook = new Thread(this::closeQuietly, "confab-e2e-cleanup-" + name);
	}

	/**
	 * Creates the namespace {@code confab-e2e-<random>} with only {@code lo}, up, IPv4 only.
	 * @param logDir where the stdout/stderr of every started process goes
	 */
	static LoopbackNetwork create(E2ePrerequisites.Tools tools, Path logDir) {
		byte[] random = new byte[4];
		RANDOM.nextBytes(random);
		String id = HexFormat.of().formatHex(random);
		String name = "confab-e2e-" + id;
		Path runDir;
		try {
			Files.createDirectories(logDir);
			runDir = Files.createTempDirectory(Path.of("/tmp"), "confab-e2e-" + id + "-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		reapStale(tools);
		try {
			Files.writeString(runDir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		LoopbackNetwork network = new LoopbackNetwork(tools, name, logDir, runDir);
		Runtime.getRuntime().addShutdownHook(network.shutdownHook);
		try {
			Result added = LoopbackProcesses.run(List.of(tools.ip().toString(), "netns", "add", name));
			if (added.exitCode() != 0) {
				network.close();
				E2ePrerequisites.unavailable("`ip netns add " + name + "` failed (exit " + added.exitCode() + "): "
						+ added.output().strip() + ". The harness needs root with CAP_SYS_ADMIN and CAP_NET_ADMIN.");
			}
			network.execChecked("ip", "link", "set", "lo", "up");
			// /proc/sys/net belongs to the namespace of the process that writes it. A kernel
			// without IPv6 has no such files, and then there is nothing to turn off.
			network.execChecked("sh", "-c", "for f in all default lo; do p=/proc/sys/net/ipv6/conf/$f/disable_ipv6;"
					+ " if [ -e $p ]; then echo 1 > $p || exit 1; fi; done");
			List<String> links = network.interfaces();
			if (!links.equals(List.of("lo"))) {
				throw new IllegalStateException("namespace " + name + " should hold only lo, holds " + links);
			}
			return network;
		}
		catch (RuntimeException | Error ex) {
			network.closeQuietly();
			throw ex;
		}
	}

	/**
	 * Deletes namespaces that an earlier run of this harness left behind because its JVM was
	 * killed before the shutdown hook could run: those whose owner process (recorded in
	 * {@code /tmp/confab-e2e-<id>-.../owner.pid}) is gone. Namespaces of live runs, including
	 * other people's concurrent builds, are left alone.
	 */
	private static void reapStale(E2ePrerequisites.Tools tools) {
		Result list = LoopbackProcesses.run(List.of(tools.ip().toString(), "netns", "list"));
		if (list.exitCode() != 0) {
			return;
		}
		for (String line : list.output().split("\n")) {
			String ns = line.strip().split("\\s+")[0];
			if (!ns.matches("confab-e2e-[0-9a-f]{8}")) {
				continue;
			}
			String id = ns.substring("confab-e2e-".length());
			List<Path> dirs;
			try (Stream<Path> tmp = Files.list(Path.of("/tmp"))) {
				dirs = tmp.filter(p -> p.getFileName().toString().startsWith("confab-e2e-" + id + "-")).toList();
			}
			catch (IOException ex) {
				continue;
			}
			boolean ownerAlive = dirs.isEmpty();
			for (Path dir : dirs) {
				try {
					long owner = Long.parseLong(Files.readString(dir.resolve(OWNER_FILE)).strip());
					ownerAlive |= ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false);
				}
				catch (IOException | NumberFormatException ex) {
					ownerAlive = true; // cannot tell: leave it
				}
			}
			if (ownerAlive) {
				continue;
			}
			Result pids = LoopbackProcesses.run(List.of(tools.ip().toString(), "netns", "pids", ns));
			LoopbackProcesses.parsePids(pids.output()).forEach(ProcessHandle::destroyForcibly);
			LoopbackProcesses.run(List.of(tools.ip().toString(), "netns", "delete", ns));
			dirs.forEach(LoopbackProcesses::deleteRecursively);
			System.err.println("[confab-e2e] removed stale network namespace " + ns + " of a run that died");
		}
	}

	String name() {
		return this.name;
	}

	Path logDir() {
		return this.logDir;
	}

	Path runDir() {
		return this.runDir;
	}

	/** The names of the network interfaces inside the namespace. */
	List<String> interfaces() {
		Result links = execChecked("ip", "-o", "link", "show");
		List<String> names = new ArrayList<>();
		for (String line : links.output().split("\n")) {
			String[] parts = line.split(":", 3);
			if (parts.length >= 2) {
				String ifname = parts[1].strip();
				int at = ifname.indexOf('@');
				names.add(at >= 0 ? ifname.substring(0, at) : ifname);
			}
		}
		return names;
	}

	/** The IP addresses configured inside the namespace (CIDR notation). */
	List<String> addresses() {
		Result addrs = execChecked("ip", "-o", "addr", "show");
		List<String> result = new ArrayList<>();
		for (String line : addrs.output().split("\n")) {
			String[] words = line.trim().split("\\s+");
			for (int i = 0; i + 1 < words.length; i++) {
				if (words[i].equals("inet") || words[i].equals("inet6")) {
					result.add(words[i + 1]);
				}
			}
		}
		return result;
	}

	/**
	 * Makes {@code 127.0.0.1:port} of the host reachable inside the namespace at
	 * {@code 127.0.0.1:port} (and so {@code http://localhost:port}). Idempotent.
	 */
	synchronized void exposeHostPort(int port) {
		this.bridges.exposeHostPort(port);
	}

	/**
	 * Makes {@code 127.0.0.1:nsPort} inside the namespace reachable from the host on a free
	 * host loopback port, which is returned. Idempotent.
	 */
	synchronized int exposeNamespacePort(int nsPort) {
		return this.bridges.exposeNamespacePort(nsPort);
	}

	/** Starts a long-running process inside the namespace; output goes to {@code <label>.log}. */
	Process startInNamespace(String label, List<String> command) {
		return start(label, inNamespace(command));
	}

	/** Starts a long-running process on the host; output goes to {@code <label>.log}. */
	Process startOnHost(String label, List<String> command) {
		return start(label, command);
	}

	private synchronized Process start(String label, List<String> command) {
		return this.processes.start(label, command);
	}

	/** Runs a short command inside the namespace and waits for it. */
	Result exec(String... command) {
		return LoopbackProcesses.run(inNamespace(List.of(command)));
	}

	Result execChecked(String... command) {
		Result result = exec(command);
		if (result.exitCode() != 0) {
			throw new IllegalStateException("in namespace " + this.name + ": `" + String.join(" ", command)
					+ "` failed (exit " + result.exitCode() + "): " + result.output().strip());
		}
		return result;
	}

	private List<String> inNamespace(List<String> command) {
		List<String> full = new ArrayList<>(List.of(this.tools.ip().toString(), "netns", "exec", this.name));
		full.addAll(command);
		return full;
	}

	/**
	 * Kills what this network started (and their descendants), then whatever still runs in the
	 * namespace, deletes the namespace and the socket folder. Safe to call more than once.
	 */
	@Override
	public void close() {
		synchronized (this) {
			if (!this.processes.close()) {
				return;
			}
		}
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// the JVM is already shutting down: we are (or race with) the hook itself
		}
		// Ask politely first, then insist.
		List<ProcessHandle> handles = this.processes.startedWithDescendants();
		handles.addAll(namespacePids());
		LoopbackProcesses.terminate(handles, Duration.ofSeconds(3));
		// Anything that appeared in the namespace meanwhile (a late-forked renderer, say).
		for (int round = 0; round < 10; round++) {
			List<ProcessHandle> left = namespacePids();
			if (left.isEmpty()) {
				break;
			}
			left.forEach(ProcessHandle::destroyForcibly);
			LoopbackProcesses.sleep(100);
		}
		Result deleted = LoopbackProcesses.run(List.of(this.tools.ip().toString(), "netns", "delete", this.name));
		if (deleted.exitCode() != 0 && !deleted.output().contains("No such file")) {
			System.err.println("[confab-e2e] could not delete network namespace " + this.name + ": " + deleted.output());
		}
		LoopbackProcesses.deleteRecursively(this.runDir);
	}

	private void closeQuietly() {
		try {
			close();
		}
		catch (RuntimeException ex) {
			System.err.println("[confab-e2e] cleanup of " + this.name + " failed: " + ex);
		}
	}

	/** Processes that live in this namespace (they are all ours: nobody else knows its name). */
	private List<ProcessHandle> namespacePids() {
		Result pids = LoopbackProcesses.run(List.of(this.tools.ip().toString(), "netns", "pids", this.name));
		if (pids.exitCode() != 0) {
			return new ArrayList<>();
		}
		return LoopbackProcesses.parsePids(pids.output());
	}

}
