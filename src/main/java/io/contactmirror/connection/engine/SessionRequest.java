package io.contactmirror.connection.engine;

import io.contactmirror.connection.Fence;
import org.jspecify.annotations.Nullable;

/**
 * What an engine needs to open a session.
 *
 * @param instanceId the instance the session belongs to
 * @param apiInstanceName globally unique instance name, for logs
 * @param pairingPhone digits of the phone to pair by pairing code, or null to pair by QR code (ignored when the
 *     instance is already paired)
 * @param fence the lease the session runs under; everything the session stores is written under it
 */
public record SessionRequest(
        long instanceId, String apiInstanceName, @Nullable String pairingPhone, Fence fence) {}
