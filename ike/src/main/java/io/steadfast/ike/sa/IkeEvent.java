package io.steadfast.ike.sa;

/**
 * What happened to an IKE SA, for the caller (a Netty handler installs and removes ESP SAs on these).
 * Every event names its IKE SA; the ESP {@link io.steadfast.esp.SecurityAssociation}s of a Child SA belong to
 * the caller from {@link ChildSaUp} on, and the caller closes them on {@link ChildSaDown}.
 *
 * <pre>{@code
 * switch (event) {
 *     case IkeEvent.ChildSaUp up -> dataPlane.install(up.child().outbound(), up.child().inbound());
 *     case IkeEvent.ChildSaDown down -> dataPlane.remove(down.child());
 *     case IkeEvent.Failed f -> log.warn("{}", f.reason());
 *     default -> {}
 * }
 * }</pre>
 */
public sealed interface IkeEvent {
    /** The IKE SA this is about. */
    IkeSa sa();

    /** IKE_AUTH completed: the peer is authenticated. */
    record Established(IkeSa sa) implements IkeEvent {}

    /** A Child SA is ready: its ESP SA pair, virtual IP and traffic selectors. */
    record ChildSaUp(IkeSa sa, ChildSa child) implements IkeEvent {}

    /**
     * A Child SA was rekeyed (make-before-break): install {@code replacement}'s inbound SA now, next to the old one, and
     * send with its outbound SA; the old pair ends with a {@link ChildSaDown} once it is deleted.
     */
    record ChildSaRekeyed(IkeSa sa, ChildSa old, ChildSa replacement) implements IkeEvent {}

    /** A Child SA ended ({@code byPeer}: the peer deleted it, or deleted the IKE SA it belonged to). */
    record ChildSaDown(IkeSa sa, ChildSa child, boolean byPeer) implements IkeEvent {}

    /** The IKE SA was rekeyed (by either side): new SPIs and keys, same Child SAs; this object stands for it still. */
    record IkeSaRekeyed(IkeSa sa) implements IkeEvent {}

    /** The peer answered our liveness check. */
    record Alive(IkeSa sa) implements IkeEvent {}

    /** The IKE SA is gone after a delete ({@code byPeer}: the peer sent it). */
    record Deleted(IkeSa sa, boolean byPeer) implements IkeEvent {}

    /** The IKE SA failed and is gone; {@code reason} is the one log line that says why. */
    record Failed(IkeSa sa, String reason) implements IkeEvent {}
}
