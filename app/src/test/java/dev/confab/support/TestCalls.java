package dev.confab.support;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.springframework.boot.test.context.TestComponent;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.core.DatabaseClient;

import dev.confab.identity.ConfabUser;
import dev.confab.identity.IdentityCookies;

/** Users with valid identity cookies and rooms in the database, made the way the app makes them. */
@TestComponent
public final class TestCalls {

	private final IdentityCookies cookies;

	private final DatabaseClient db;

	private final Environment environment;

	TestCalls(IdentityCookies cookies, DatabaseClient db, Environment environment) {
		this.cookies = cookies;
		this.db = db;
		this.environment = environment;
	}

	/** The server's port, known only once it has started. */
	public int port() {
		return this.environment.getRequiredProperty("local.server.port", Integer.class);
	}

	/** The management server's port (health, metrics): apart from the public one, free like it. */
	public int managementPort() {
		return this.environment.getRequiredProperty("local.management.port", Integer.class);
	}

	public String cookieFor(String screenName) {
		return cookieFor(new ConfabUser(UUID.randomUUID(), screenName));
	}

	public String cookieFor(ConfabUser user) {
		// Epoch 0: these users never logged out (they have no sign_out_epochs row).
		return this.cookies.cookieName() + "=" + this.cookies.issue(user, 0, false).getValue();
	}

	public StompTestClient connect(String screenName) throws Exception {
		return StompTestClient.connect(port(), cookieFor(screenName));
	}

	public StompTestClient connect(ConfabUser user) throws Exception {
		return StompTestClient.connect(port(), cookieFor(user));
	}

	/** A room that {@code owner} created, and so owns. */
	public String room(String slug, ConfabUser owner) {
		this.db.sql("INSERT INTO rooms (slug, name, created_by, owner_user, created_at) VALUES (:slug, :slug, :by, :owner, :at)")
				.bind("slug", slug).bind("by", owner.id()).bind("owner", owner.getName()).bind("at", OffsetDateTime.now())
				.then().block();
		return slug;
	}

	/** A room created by a user no test connects as: nobody in its call owns it. */
	public String room(String slug) {
		this.db.sql("INSERT INTO rooms (slug, name, created_by, created_at) VALUES (:slug, :slug, :by, :at)")
				.bind("slug", slug).bind("by", UUID.randomUUID()).bind("at", OffsetDateTime.now())
				.then().block();
		return slug;
	}

	/**
	 * A call's events are sent under the room's lock, before its transaction commits, so a client
	 * can see an event a moment before this count reflects it: poll it (Awaitility) after an event.
	 */
	public long participantsIn(String slug) {
		return this.db.sql("SELECT COUNT(*) AS n FROM participants WHERE room_slug = :slug").bind("slug", slug)
				.map(row -> row.get("n", Long.class)).one().block();
	}
}
