package io.contactmirror.connection;

/**
 * The lease a session runs under: the replica incarnation that holds it and the epoch of that acquisition. Every
 * write a session causes carries its fence and is refused once a takeover has replaced the lease.
 */
public record Fence(String owner, long epoch) {}
