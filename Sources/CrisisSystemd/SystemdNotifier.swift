import CSystemd

/// Tells systemd about the daemon's state (`Type=notify`). Without `NOTIFY_SOCKET` every call is a no-op.
public enum SystemdNotifier {
    /// The daemon is serving: both listeners are bound and the database is open.
    public static func ready(status: String) {
        send("READY=1\nSTATUS=\(status)")
    }

    public static func status(_ text: String) {
        send("STATUS=\(text)")
    }

    public static func stopping() {
        send("STOPPING=1\nSTATUS=stopping")
    }

    @discardableResult
    public static func send(_ state: String) -> Bool {
        sd_notify(0, state) > 0
    }
}
