package dev.tuntcp.stack;

/**
 * What flow steering between the event loops of a multi-queue host did ({@code serve --queues N},
 * {@link MultiQueueHost}); each loop counts its own, {@code stats} shows the sum.
 */
public enum SteeringCounter {
    /** TCP datagrams that arrived on this loop's queue but belong to another loop's connection. */
    HANDED_OVER,
    /** TCP datagrams another loop handed to this one (its connections, arrived on another queue). */
    TAKEN_OVER,
    /** Datagrams dropped because the owner's mailbox was full (the owner is far behind; TCP retransmits). */
    MAILBOX_FULL,
    /** ICMP errors quoting another loop's connection, passed to that loop. */
    ICMP_ERRORS_HANDED_OVER,
    /** A handed-over datagram whose IPv4 header no longer parsed on the owner (should never happen). */
    HANDOVER_UNREADABLE,
    /** Handed-over items released unprocessed because the owning loop had already stopped. */
    OWNER_STOPPED
}
