package dev.confab.bench.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident set size of a process, as the kernel reports it ({@code VmRSS} in /proc/<pid>/status). */
public final class ProcessMemory {

	private ProcessMemory() {
	}

	/** In KiB; -1 when the process is gone or /proc cannot be read. */
	public static long residentKb(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").strip());
				}
			}
			return -1;
		}
		catch (IOException | NumberFormatException ex) {
			return -1;
		}
	}
}
