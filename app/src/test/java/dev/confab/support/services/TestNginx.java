package dev.confab.support.services;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.confab.support.RepositoryFiles;

/**
 * nginx in front of some instances, configured by the project's own template
 * ({@code infra/local/nginx-conf <listen-port> <run-dir> <host:port>...}), run in the foreground
 * as this JVM's child. Its config, logs and temp files stay in {@code run-dir}.
 */
public final class TestNginx implements AutoCloseable {

	static final Path NGINX = Path.of("/usr/sbin/nginx");

	private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

	private final int port;

	private final Path runDir;

	private final Process process;

	private TestNginx(int port, Path runDir, Process process) {
		this.port = port;
		this.runDir = runDir;
		this.process = process;
	}

	/** Renders the config for {@code upstreams} (e.g. {@code 127.0.0.1:8081}) and starts nginx on a free port. */
	public static TestNginx start(Path runDir, List<String> upstreams) {
		if (!Files.isExecutable(NGINX)) {
			throw Requirements.unavailable(NGINX + " is missing (Debian package nginx: apt-get install -y nginx)");
		}
		int port = Ports.free();
		try {
			Files.createDirectories(runDir);
			List<String> render = new ArrayList<>(List.of(template().toString(), "127.0.0.1:" + port, runDir.toString()));
			render.addAll(upstreams);
			Process renderer = new ProcessBuilder(render).redirectError(ProcessBuilder.Redirect.INHERIT).start();
			byte[] config = renderer.getInputStream().readAllBytes();
			if (!renderer.waitFor(30, TimeUnit.SECONDS) || renderer.exitValue() != 0) {
				throw new IllegalStateException("`" + String.join(" ", render) + "` failed");
			}
			Path conf = runDir.resolve("nginx.conf");
			Files.write(conf, config);
			Path log = runDir.resolve("nginx.out");
			List<String> command = new ArrayList<>(List.of(NGINX.toString(), "-p", runDir + "/", "-c", conf.toString()));
			if (!new String(config, StandardCharsets.UTF_8).matches("(?s).*^\\s*daemon\\s+off\\s*;.*")) {
				command.addAll(List.of("-g", "daemon off;"));
			}
			Process nginx = ChildProcesses.track(new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
					.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start());
			TestNginx started = new TestNginx(port, runDir, nginx);
			started.awaitListening(log);
			return started;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** {@code infra/local/nginx-conf}, found from the module's working directory upwards. */
	static Path template() {
		return RepositoryFiles.find("infra/local/nginx-conf");
	}

	private void awaitListening(Path log) throws IOException {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (!Ports.accepts("127.0.0.1", this.port)) {
			if (!this.process.isAlive() || System.nanoTime() > deadline) {
				this.process.destroyForcibly();
				throw new AssertionError("nginx did not listen on " + this.port + "; " + log + ":\n"
						+ Files.readString(log) + "\nerror.log: " + errorLog());
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	public int port() {
		return this.port;
	}

	public Path runDir() {
		return this.runDir;
	}

	/** Whatever nginx wrote to error logs in its run folder. */
	public String errorLog() {
		StringBuilder all = new StringBuilder();
		try (var files = Files.walk(this.runDir)) {
			for (Path file : files.filter(f -> f.getFileName().toString().contains("error") && Files.isRegularFile(f))
					.toList()) {
				all.append("== ").append(file).append('\n').append(Files.readString(file));
			}
		}
		catch (IOException ex) {
			all.append("(cannot read: ").append(ex).append(')');
		}
		return all.toString();
	}

	/** Stops nginx (SIGQUIT would wait for the WebSockets; SIGTERM is the fast shutdown). */
	@Override
	public void close() {
		ProcessHandle master = this.process.toHandle();
		List<ProcessHandle> workers = master.descendants().toList();
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
		workers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
	}
}
