package dev.confab.support.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Free ports and waiting for listeners. */
public final class Ports {

	private Ports() {
	}

	/** A port nobody listens on right now (a small race remains: someone may take it before we do). */
	public static int free() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static boolean accepts(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	public static void await(String host, int port, Duration timeout, String what) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!accepts(host, port)) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError(what + ": " + host + ":" + port + " not accepting within " + timeout.toSeconds() + " s");
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}
}
