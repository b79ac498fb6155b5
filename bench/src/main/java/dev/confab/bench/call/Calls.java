package dev.confab.bench.call;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import dev.confab.bench.client.ClientPool;
import dev.confab.bench.lab.Deployment;

/** Filling calls with simulated browsers, and waiting for what they see. */
public final class Calls {

	private Calls() {
	}

	/**
	 * {@code people} participants join room {@code slug} one after the other, each once the one
	 * before finished negotiating; participant i sits on the deployment's instance for seat
	 * {@code firstSeat + i}.
	 */
	public static List<CallPeer> fill(ClientPool pool, Deployment deployment, String cookie, String slug, int people,
			int firstSeat, Signalling signalling) {
		List<CallPeer> peers = new ArrayList<>();
		for (int i = 0; i < people; i++) {
			CallPeer peer = new CallPeer(cookie, slug, signalling);
			peers.add(peer);
			peer.connect(pool, deployment.instanceFor(firstSeat + i).port()).join();
			peer.join().join();
		}
		return peers;
	}

	/** Polls {@code condition} every 5 ms; false if it did not hold within {@code timeout}. */
	public static boolean await(Duration timeout, BooleanSupplier condition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				return false;
			}
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return true;
	}

	/** Every participant's DISCONNECT (each leaves its call), waited for together. */
	public static void disconnectAll(List<CallPeer> peers) {
		peers.stream().map(CallPeer::disconnect).toList().forEach(done -> done.exceptionally(failure -> null).join());
	}
}
