package dev.confab.bench.lab;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** A fresh PostgreSQL database ({@code confab_bench_<random>}) for one relay deployment; dropped on close. */
final class BenchDatabase implements AutoCloseable {

	private final Services services;

	private final String name;

	private final String host;

	private final int port;

	private BenchDatabase(Services services, String name) {
		this.services = services;
		this.name = name;
		URI uri = URI.create(services.postgresUrl().substring("jdbc:".length()));
		this.host = uri.getHost();
		this.port = uri.getPort() < 0 ? 5432 : uri.getPort();
	}

	static BenchDatabase create(Services services) {
		BenchDatabase database = new BenchDatabase(services,
				"confab_bench_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
		database.admin("CREATE DATABASE " + database.name);
		return database;
	}

	String jdbcUrl() {
		return "jdbc:postgresql://" + this.host + ":" + this.port + "/" + this.name;
	}

	String r2dbcUrl() {
		return "r2dbc:postgresql://" + this.host + ":" + this.port + "/" + this.name;
	}

	String user() {
		return this.services.postgresUser();
	}

	String password() {
		return this.services.postgresPassword();
	}

	/** Ends the instances' connections first: DROP DATABASE refuses while anyone is connected. */
	@Override
	public void close() {
		try {
			admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + this.name
					+ "' AND pid <> pg_backend_pid()");
			admin("DROP DATABASE IF EXISTS " + this.name);
		}
		catch (IllegalStateException ex) {
			System.err.println("[bench] could not drop database " + this.name + ": " + ex.getMessage());
		}
	}

	private void admin(String sql) {
		try (Connection connection = DriverManager.getConnection(this.services.postgresUrl(),
				this.services.postgresUser(), this.services.postgresPassword());
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql + ": " + ex.getMessage(), ex);
		}
	}
}
