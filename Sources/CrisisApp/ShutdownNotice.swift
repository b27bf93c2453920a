import CrisisSystemd
import ServiceLifecycle

/// Tells systemd `STOPPING=1` as soon as a graceful shutdown begins, not once every service has
/// wound down, so `systemctl status` shows the daemon stopping while it finishes its work.
struct ShutdownNotice: Service {
    func run() async throws {
        try? await gracefulShutdown()
        SystemdNotifier.stopping()
    }
}
