package dev.confab.bench.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * CPU time a process has used, all its threads, user and system, as the kernel counts it
 * ({@code utime} and {@code stime} of /proc/<pid>/stat, in clock ticks of 10 ms).
 */
public final class ProcessCpu {

	/** USER_HZ on Linux (sysconf(_SC_CLK_TCK)), fixed by the kernel's ABI. */
	private static final long MILLIS_PER_TICK = 10;

	/** Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15. */
	private static final int UTIME = 14 - 3;

	private ProcessCpu() {
	}

	/** In milliseconds; -1 when the process is gone or /proc cannot be read. */
	private static long millis(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return (Long.parseLong(fields[UTIME]) + Long.parseLong(fields[UTIME + 1])) * MILLIS_PER_TICK;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	/** The sum over processes; -1 if there are none or one of them cannot be read. */
	public static long millis(Collection<Long> pids) {
		if (pids.isEmpty()) {
			return -1;
		}
		long sum = 0;
		for (long pid : pids) {
			long each = millis(pid);
			if (each < 0) {
				return -1;
			}
			sum += each;
		}
		return sum;
	}
}
