/// What the world asks of a running daemon. The executable maps signals onto these (SIGHUP:
/// reload; SIGTERM, SIGINT: shutdown), so the app itself touches no signals and tests can run it
/// in-process and drive it with a stream of their own.
public enum DaemonEvent: Sendable {
    /// Re-read the config file; a refused file leaves the old config in force.
    case reload
    /// Stop gracefully: listeners close, work in hand finishes, the journal says so.
    case shutdown
}
