/** Rate limits shared by the features: how often one session, user or address may do something. */
package dev.confab.limits;
