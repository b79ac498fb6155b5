package dev.confab.identity;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An identity proven by a valid {@code confab_id} cookie. Its principal is the
 * {@link ConfabUser} and its name the user id.
 */
final class CookieAuthentication extends AbstractAuthenticationToken {

	private static final long serialVersionUID = 1L;

	private final ConfabUser user;

	CookieAuthentication(ConfabUser user) {
		super(List.of(new SimpleGrantedAuthority("ROLE_USER")));
		this.user = user;
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
}
