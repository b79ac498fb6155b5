/**
 * Who is who: passwordless login by screen name and real name, the signed identity
 * cookie every instance can verify, and the web security rules built on it.
 */
package dev.confab.identity;
