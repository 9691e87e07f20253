package io.contactmirror.connection;

/** A write was refused because the session that caused it no longer holds the instance's lease. */
public class LeaseLostException extends RuntimeException {

    public LeaseLostException(long instanceId, Fence fence) {
        super("instance " + instanceId + " is no longer held under lease epoch " + fence.epoch() + " by "
                + fence.owner());
    }
}
