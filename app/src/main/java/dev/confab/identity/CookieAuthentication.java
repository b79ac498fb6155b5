package dev.confab.identity;

import java.time.Instant;
import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An identity proven by a valid {@code confab_id} cookie whose sign-out epoch is current. Its
 * principal is the {@link ConfabUser} and its name the user id; it ends when the cookie expires.
 */
final class CookieAuthentication extends AbstractAuthenticationToken implements ExpiringIdentity {

	private static final long serialVersionUID = 1L;

	private final ConfabUser user;

	private final Instant expiresAt;

	CookieAuthentication(SignIn signIn) {
		super(List.of(new SimpleGrantedAuthority("ROLE_USER")));
		this.user = signIn.user();
		this.expiresAt = signIn.expiresAt();
		setAuthenticated(true);
	}

	@Override
	public ConfabUser getPrincipal() {
		return user;
	}

	/** There is no password: the signed cookie was the proof, and it is not kept here. */
	@Override
	public Object getCredentials() {
		return null;
	}

	@Override
	public String getName() {
		return user.getName();
	}

	@Override
	public Instant expiresAt() {
		return expiresAt;
	}
}
