package dev.confab.cluster;

import java.util.UUID;

import org.springframework.stereotype.Component;

/** This instance's identity among the instances sharing one database, new at every start. */
@Component
public class ClusterInstance {

	private final String id = UUID.randomUUID().toString();

	public String id() {
		return this.id;
	}
}
