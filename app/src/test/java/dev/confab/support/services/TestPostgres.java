package dev.confab.support.services;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A fresh PostgreSQL database ({@code confab_it_<random>}) for one test class, on the server named
 * by {@code CONFAB_TEST_POSTGRES_*} or, without those, in a Testcontainers container started once
 * per JVM. {@link #close()} drops it again. Also a small JDBC helper for assertions.
 */
public final class TestPostgres implements AutoCloseable {

	static final String URL_VARIABLE = "CONFAB_TEST_POSTGRES_URL";

	static final String VARIABLES = URL_VARIABLE + " (admin JDBC URL, e.g. jdbc:postgresql://127.0.0.1:5432/postgres), "
			+ "CONFAB_TEST_POSTGRES_USER, CONFAB_TEST_POSTGRES_PASSWORD";

	private static Server server;

	private final Server on;

	private final String database;

	private boolean dropped;

	/** Where the server is and how to log in as someone who may create databases. */
	record Server(String host, int port, String query, String adminDatabase, String user, String password) {

		String jdbcUrl(String database) {
			return "jdbc:postgresql://" + host + ":" + port + "/" + database + (query == null ? "" : "?" + query);
		}

		/** A connection to {@code database}, or to the admin database when it is null. */
		Connection connect(String database) throws SQLException {
			return DriverManager.getConnection(jdbcUrl(database == null ? adminDatabase : database), user, password);
		}

		Server check() {
			try (Connection connection = connect(null)) {
				return this;
			}
			catch (SQLException ex) {
				throw new IllegalStateException("PostgreSQL at " + this + " refused the tests' connection: "
						+ ex.getMessage() + ". Check " + VARIABLES + ".", ex);
			}
		}

		@Override
		public String toString() {
			return "Server[" + host + ":" + port + ", user=" + user + "]";
		}
	}

	private TestPostgres(Server on, String database) {
		this.on = on;
		this.database = database;
	}

	/** Skips or fails (see {@link Requirements}) when there is neither a configured server nor Docker. */
	public static void require() {
		server();
	}

	/** Creates a new, empty database. */
	public static TestPostgres createDatabase() {
		Server on = server();
		String name = "confab_it_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
		try (Connection admin = on.connect(null); Statement sql = admin.createStatement()) {
			sql.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot create database " + name + " on " + on + ": " + ex.getMessage(), ex);
		}
		return new TestPostgres(on, name);
	}

	private static synchronized Server server() {
		if (server == null) {
			server = locate();
		}
		return server;
	}

	private static Server locate() {
		String url = Requirements.env(URL_VARIABLE);
		if (url != null) {
			URI uri = URI.create(url.substring("jdbc:".length()));
			String adminDatabase = uri.getPath().length() > 1 ? uri.getPath().substring(1) : "postgres";
			return new Server(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), uri.getRawQuery(), adminDatabase,
					Requirements.env("CONFAB_TEST_POSTGRES_USER", "postgres"),
					Requirements.env("CONFAB_TEST_POSTGRES_PASSWORD", "")).check();
		}
		if (!Requirements.dockerAvailable()) {
			throw Requirements.unavailable("No PostgreSQL for the scaled-out tests: set " + VARIABLES
					+ ", or make Docker available for Testcontainers.");
		}
		PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
		container.start();
		Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "confab-it-postgres-stop"));
		return new Server(container.getHost(), container.getMappedPort(5432), null, container.getDatabaseName(),
				container.getUsername(), container.getPassword()).check();
	}

	public String databaseName() {
		return this.database;
	}

	public String jdbcUrl() {
		return this.on.jdbcUrl(this.database);
	}

	public String r2dbcUrl() {
		return "r2dbc:postgresql://" + this.on.host() + ":" + this.on.port() + "/" + this.database;
	}

	public String username() {
		return this.on.user();
	}

	public String password() {
		return this.on.password();
	}

	/** The single number the query returns (a count, say). */
	public long queryForLong(String sql, Object... params) {
		List<Map<String, Object>> rows = query(sql, params);
		if (rows.size() != 1 || rows.get(0).size() != 1) {
			throw new IllegalStateException("Expected one value from " + sql + ", got " + rows);
		}
		return ((Number) rows.get(0).values().iterator().next()).longValue();
	}

	/** The first column of every row, as strings. */
	public List<String> queryForStrings(String sql, Object... params) {
		return query(sql, params).stream().map(row -> String.valueOf(row.values().iterator().next())).toList();
	}

	/** Every row as column label (lower case) to value. */
	public List<Map<String, Object>> query(String sql, Object... params) {
		try (Connection connection = this.on.connect(this.database);
				PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < params.length; i++) {
				statement.setObject(i + 1, params[i]);
			}
			try (ResultSet result = statement.executeQuery()) {
				List<Map<String, Object>> rows = new ArrayList<>();
				int columns = result.getMetaData().getColumnCount();
				while (result.next()) {
					Map<String, Object> row = new LinkedHashMap<>();
					for (int c = 1; c <= columns; c++) {
						row.put(result.getMetaData().getColumnLabel(c).toLowerCase(), result.getObject(c));
					}
					rows.add(row);
				}
				return rows;
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql + " failed on " + this.database + ": " + ex.getMessage(), ex);
		}
	}

	/** Ends every connection to the database (the instances' too), then drops it. */
	@Override
	public synchronized void close() {
		if (this.dropped) {
			return;
		}
		try (Connection admin = this.on.connect(null); Statement sql = admin.createStatement()) {
			sql.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + this.database
					+ "' AND pid <> pg_backend_pid()");
			sql.execute("DROP DATABASE IF EXISTS " + this.database);
			this.dropped = true;
		}
		catch (SQLException ex) {
			System.err.println("[confab-it] could not drop database " + this.database + ": " + ex.getMessage());
		}
	}

	@Override
	public String toString() {
		return "TestPostgres[" + this.database + " on " + this.on + "]";
	}
}
