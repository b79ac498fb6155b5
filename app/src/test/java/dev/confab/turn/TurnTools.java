package dev.confab.turn;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;


import dev.confab.support.Prerequisites;
import dev.confab.support.RepositoryFiles;

/**
 * What the coturn tests need from the machine (Debian's {@code coturn} package:
 * {@code turnserver} and {@code turnutils_uclient}), and where the repository's {@code coturn/}
 * folder is.
 * <p>
 * Outside CI a missing tool skips the tests (a JUnit assumption that says what to install).
 * With {@code CI=true} it fails them, so CI can never go green without having run them.
 */
final class TurnTools {

	private static final SecureRandom RANDOM = new SecureRandom();

	private TurnTools() {
	}

	/** Resolved tool paths. */
	record Tools(Path turnserver, Path uclient) {
	}

	static boolean isCi() {
		return Prerequisites.isCi();
	}

	/** Returns the tools or ends the test: skipped on a developer machine, failed under {@code CI=true}. */
	static Tools requireOrSkip() {
		Optional<Path> turnserver = findExecutable("turnserver");
		Optional<Path> uclient = findExecutable("turnutils_uclient");
		List<String> missing = new ArrayList<>();
		turnserver.ifPresentOrElse(path -> {
		}, () -> missing.add("`turnserver`"));
		uclient.ifPresentOrElse(path -> {
		}, () -> missing.add("`turnutils_uclient`"));
		if (!missing.isEmpty()) {
			unavailable("coturn tests need " + String.join(" and ", missing)
					+ " from Debian's coturn package (4.6.1). Install with: apt-get update && apt-get install -y coturn."
					+ " On Debian, .ci/run installs it.");
		}
		return new Tools(turnserver.get(), uclient.get());
	}

	/** Skips (developer machine) or fails (CI=true) with this message. Never returns normally. */
	static void unavailable(String message) {
		Prerequisites.unavailable("coturn tests", message);
	}

	static Optional<Path> findExecutable(String name) {
		return Prerequisites.findExecutable(name);
	}

	/** The repository's {@code coturn/} folder, found upwards from the working directory (Maven runs in app/). */
	static Path coturnDir() {
		return RepositoryFiles.find("coturn/turnserver.conf").getParent();
	}

	/** A fresh shared secret: 32 random bytes, base64url. */
	static String randomSecret() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/** A participant id of Confab's shape (22 base64url characters), so every uclient run has its own quota. */
	static String participantId() {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/** Whether ::1 can be bound on this machine (IPv6 loopback). */
	static boolean hasIpv6Loopback() {
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * A port that is free for TCP and UDP on every given loopback address, away from the Linux
	 * ephemeral range (32768+) and coturn's relay range (49152+), so no relay socket or client
	 * port of a concurrent run takes it before coturn binds it.
	 */
	static int freePort(List<String> hosts, Set<Integer> taken) {
		for (int attempt = 0; attempt < 200; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(20000, 32000);
			if (!taken.contains(port) && isFree(hosts, port)) {
				return port;
			}
		}
		throw new IllegalStateException("No free port found for " + hosts);
	}

	private static boolean isFree(List<String> hosts, int port) {
		for (String host : hosts) {
			try {
				InetAddress address = InetAddress.getByName(host);
				try (ServerSocket tcp = new ServerSocket()) {
					tcp.setReuseAddress(false);
					tcp.bind(new InetSocketAddress(address, port));
				}
				try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, port))) {
					// bound: free
				}
			}
			catch (IOException ex) {
				return false;
			}
		}
		return true;
	}

}
