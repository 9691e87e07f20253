package io.contactmirror.webhook;

/** Where a delivery stands: waiting for its (next) attempt, received by the target, or given up on. */
enum DeliveryStatus {
    PENDING,
    DELIVERED,
    FAILED
}
