package dev.confab.bench.lab;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A RabbitMQ virtual host with a user of the same name that may do anything there and nowhere
 * else, for one run; both are deleted on close (and with the vhost every queue in it).
 */
public final class BrokerVhost implements AutoCloseable {

	private final Rabbitmqctl ctl;

	private final String name;

	private final String password;

	private BrokerVhost(Rabbitmqctl ctl, String name, String password) {
		this.ctl = ctl;
		this.name = name;
		this.password = password;
	}

	static BrokerVhost create(Rabbitmqctl ctl) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		String name = "confab_bench_" + HexFormat.of().toHexDigits(random.nextInt());
		byte[] secret = new byte[18];
		random.nextBytes(secret);
		BrokerVhost vhost = new BrokerVhost(ctl, name, HexFormat.of().formatHex(secret));
		ctl.run("add_vhost", name);
		ctl.runWithInput(vhost.password, "add_user", name);
		ctl.run("set_permissions", "-p", name, name, ".*", ".*", ".*");
		return vhost;
	}

	public String name() {
		return this.name;
	}

	public String user() {
		return this.name;
	}

	public String password() {
		return this.password;
	}

	/**
	 * Client connections into this vhost right now: AMQP ones ({@code list_connections}) and STOMP
	 * ones, which RabbitMQ 3.10 lists apart ({@code list_stomp_connections}, by their login: this
	 * vhost's user).
	 */
	public int connections() {
		return count(this.ctl.run("list_connections", "vhost")) + count(this.ctl.run("list_stomp_connections", "auth_login"));
	}

	private int count(String listing) {
		return (int) listing.lines().map(String::strip).filter(this.name::equals).count();
	}

	@Override
	public void close() {
		try {
			this.ctl.run("delete_user", this.name);
			this.ctl.run("delete_vhost", this.name);
		}
		catch (RuntimeException ex) {
			System.err.println("[bench] could not delete vhost " + this.name + ": " + ex.getMessage());
		}
	}
}
