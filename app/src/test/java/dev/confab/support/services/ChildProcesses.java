package dev.confab.support.services;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kills what the tests started when the test JVM exits without cleaning up (an interrupted build,
 * a forked JVM timing out): children of a dead JVM would otherwise keep ports and the broker busy.
 */
final class ChildProcesses {

	private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(process -> {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
		}), "confab-it-kill-children"));
	}

	private ChildProcesses() {
	}

	static Process track(Process process) {
		LIVE.add(process);
		process.onExit().thenRun(() -> LIVE.remove(process));
		return process;
	}
}
