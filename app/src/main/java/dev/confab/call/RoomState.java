package dev.confab.call;

/**
 * What a room's owner controls, as the room's row holds it (docs/protocol.md, "Room control").
 *
 * @param owner         principal name of the owning user: the creator, or whom ownership passed to
 * @param creator       principal name of the user who created the room; owner again when the call empties
 * @param locked        nobody new joins (the owner's user still may)
 * @param waitingRoom   newcomers wait until the owner lets them in
 * @param ownerCapacity the owner's participant limit; null for the installation's
 */
record RoomState(String owner, String creator, boolean locked, boolean waitingRoom, Integer ownerCapacity) {

	/** The participant limit in force: the owner's, never above the installation's. */
	int capacity(int installationMax) {
		return this.ownerCapacity == null ? installationMax : Math.min(this.ownerCapacity, installationMax);
	}

	boolean isOwner(String userName) {
		return userName.equals(this.owner);
	}
}
