import Foundation
import Logging

/// Warns, a line per stretch, where a rotation or schedule the escalation policy pages has no
/// one on duty in the next 8 weeks: at start and after every reload that succeeds.
enum RotaGapWarning {
    static func log(_ holder: ConfigHolder, logger: Logger, now: Date) {
        let (config, rota) = holder.snapshot
        for gap in rota.gaps(in: rota.targets(of: config.escalation), from: now, to: now + 8 * 7 * 86_400) {
            logger.warning(
                "the rota has a gap: no one on duty",
                metadata: [
                    "target": "\(gap.target)", "from": "\(gap.start.formatted(.iso8601))",
                    "to": "\(gap.end.formatted(.iso8601))",
                ])
        }
    }
}
