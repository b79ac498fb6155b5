package dev.confab.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Lowers the CPU priority of one test browser: its Chromium processes, found by their profile
 * folder, with all their threads (Linux's nice is per thread; threads and processes started later
 * inherit it from the thread that starts them, so a renderer forked after a reload is lowered too).
 * On two cores, the browsers of the other participants of a test take CPU that real participants'
 * own machines would give; a test that times one browser lowers the others.
 */
final class BrowserPriority {

	private BrowserPriority() {
	}

	/** @return how many threads were reniced */
	static int lower(Path profile, int niceness) {
		String flag = "--user-data-dir=" + profile;
		Set<Long> pids = new TreeSet<>();
		ProcessHandle.allProcesses()
			.filter(p -> p.info().commandLine().map(line -> line.contains(flag)).orElse(false))
			.flatMap(p -> Stream.concat(Stream.of(p), p.descendants()))
			.forEach(p -> pids.add(p.pid()));
		List<String> command = new ArrayList<>(List.of("renice", "-n", Integer.toString(niceness), "-p"));
		for (long pid : pids) {
			command.addAll(threadsOf(pid));
		}
		int threads = command.size() - 4;
		if (threads == 0) {
			throw new AssertionError("no Chromium process runs with " + flag);
		}
		run(command);
		return threads;
	}

	private static List<String> threadsOf(long pid) {
		try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
			return tasks.map(task -> task.getFileName().toString()).toList();
		}
		catch (IOException ex) {
			return List.of(); // gone meanwhile
		}
	}

	private static void run(List<String> command) {
		try {
			Process renice = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (renice.waitFor() != 0) {
				// A thread that ended between the listing and renice makes it fail for that one only.
				System.out.println("[confab-e2e] renice exited with " + renice.exitValue() + " (a thread ended meanwhile?)");
			}
		}
		catch (IOException ex) {
			throw new AssertionError("cannot run renice: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("interrupted while renicing", ex);
		}
	}
}
