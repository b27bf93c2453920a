import CrisisCore
import Foundation

/// The ops board as one server-rendered page that reloads itself every 30 seconds: open crises
/// with a countdown bar per clock, who is on duty and the next hand-offs, failing pages, and the
/// last day of the journal. Plain HTML and inline CSS, every value escaped; no script, nothing
/// fetched from elsewhere.
enum BoardHTML {
    static let refreshSeconds = 30

    static func render(_ board: OpsBoard) -> String {
        let format = BoardFormat(now: board.now, timeZone: board.timeZone)
        let open = board.crises.filter { $0.status == .open }.count
        return """
            <!doctype html>
            <html lang=en><head><meta charset=utf-8>
            <meta http-equiv=refresh content="\(refreshSeconds)">
            <meta name=viewport content="width=device-width, initial-scale=1">
            <meta name=robots content="noindex">
            <title>\(board.crises.count) open · crisisd board</title>
            <style>
            body{font:16px/1.4 system-ui,sans-serif;margin:0;padding:1em 1.5em;background:#f6f6f4;color:#222}
            h1{font-size:1.3em;margin:0 0 .2em}h2{font-size:1.05em;margin:1.4em 0 .4em;text-transform:uppercase;
            letter-spacing:.05em;color:#555}.meta{color:#666;font-size:.9em}
            .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(22em,1fr));gap:.8em}
            .crisis{background:#fff;border-radius:.5em;padding:.7em .9em;border-left:.4em solid #b00020}
            .crisis.acknowledged{border-left-color:#d08000}.crisis h3{margin:0;font-size:1.15em}
            .crisis .where{color:#444}.tag{display:inline-block;font-size:.75em;padding:0 .4em;border-radius:.3em;
            background:#eee;margin-left:.3em;vertical-align:middle}.tag.drill{background:#333;color:#fff}
            .clock{margin:.35em 0}.clock .row{display:flex;justify-content:space-between;font-size:.9em}
            .bar{height:.6em;background:#e4e4e4;border-radius:.3em;overflow:hidden}
            .bar span{display:block;height:100%}.running .bar span{background:#2b6cb0}.late .bar span{background:#d08000}
            .overdue .bar span,.breached .bar span{background:#b00020}.met .bar span{background:#0a7a3d}
            .waived .bar span{background:#999}
            .breached .row b,.overdue .row b{color:#b00020}.met .row b{color:#0a7a3d}
            table{border-collapse:collapse;width:100%;background:#fff;font-size:.92em}
            th,td{text-align:left;padding:.3em .6em;border-bottom:1px solid #eee;vertical-align:top}
            th{background:#fafafa;font-weight:600}.none{color:#b00020;font-weight:bold}.quiet{color:#777}
            code{font-size:.95em}
            </style></head><body>
            <h1>crisisd ops board</h1>
            <p class=meta>\(board.crises.count) open (\(open) not acknowledged) · as of \(format.time(board.now)) \
            \(BoardHTML.escape(board.timeZone.identifier)) · refreshes every \(refreshSeconds) s</p>
            <h2>Open crises</h2>
            \(crises(board, format))
            <h2>On duty</h2>
            \(duty(board, format))
            <h2>Pages failing</h2>
            \(trouble(board))
            <h2>Journal, last 24 hours</h2>
            \(journal(board, format))
            </body></html>
            """
    }

    private static func crises(_ board: OpsBoard, _ format: BoardFormat) -> String {
        guard !board.crises.isEmpty else { return "<p class=quiet>No open crises.</p>" }
        let cards = board.crises.map { crisis in
            let drill = crisis.drill ? "<span class=\"tag drill\">DRILL</span>" : ""
            let state: String
            if let at = crisis.acknowledgedAt {
                state = "acknowledged by \(escape(crisis.acknowledgedBy ?? "?")) at \(format.time(at))"
            } else {
                var escalation = ""
                if crisis.escalation.exhausted {
                    escalation = " · <b>escalation exhausted</b>"
                } else if let next = crisis.escalation.nextAt {
                    escalation = " · next step \(format.time(next))"
                }
                state = "<b>not acknowledged</b>\(escalation)"
            }
            let unstaffed = crisis.noOneOnDuty ? "<p class=none>No one was on duty: every member was paged.</p>" : ""
            return """
                <div class="crisis \(crisis.status.rawValue)">
                <h3>\(escape(crisis.reference.description)) <span class=tag>\(escape(crisis.category.rawValue))</span>\(drill)</h3>
                <div class=where>\(escape(crisis.site))</div>
                <div class=meta>received \(format.time(crisis.receivedAt)) · \(state)</div>\(unstaffed)
                \(crisis.clocks.map { clock($0, format) }.joined())
                </div>
                """
        }
        return "<div class=grid>\(cards.joined())</div>"
    }

    /// A clock as a bar: the share of its time still left while it runs; full, in its outcome's
    /// colour, once it has ended.
    private static func clock(_ clock: ResponseClock, _ format: BoardFormat) -> String {
        let state: String
        let text: String
        var share = 1.0
        switch clock.outcome {
        case .some(let outcome):
            state = outcome.rawValue
            text = "\(outcome.rawValue)\(clock.endedAt.map { " \(format.time($0))" } ?? "")"
        case nil:
            let total = clock.dueAt.timeIntervalSince(clock.startedAt)
            let left = clock.dueAt.timeIntervalSince(format.now)
            if left <= 0 {
                state = "overdue"
                text = "due \(format.time(clock.dueAt)), \(BoardFormat.span(-left)) over"
            } else {
                share = total > 0 ? min(1, left / total) : 0
                state = share < 0.25 ? "late" : "running"
                text = "\(BoardFormat.span(left)) left (by \(format.time(clock.dueAt)))"
            }
        }
        let percent = String(format: "%.0f", share * 100)
        return """
            <div class="clock \(state)"><div class=row><span>\(escape(clock.label))</span><b>\(escape(text))</b></div>\
            <div class=bar><span style="width:\(percent)%"></span></div></div>
            """
    }

    private static func duty(_ board: OpsBoard, _ format: BoardFormat) -> String {
        guard !board.duty.isEmpty else { return "<p class=quiet>No rotations or schedules.</p>" }
        func who(_ person: String?, _ name: String?) -> String {
            guard let person else { return "<span class=none>NO ONE</span>" }
            return escape(name ?? person)
        }
        let rows = board.duty.map { duty in
            let until = duty.until.map { format.dayTime($0) } ?? "—"
            let backup = duty.backupTarget.map { "\(escape($0)): \(escape(duty.backupName ?? "no one"))" } ?? "—"
            let next =
                duty.next.isEmpty
                ? "<span class=quiet>none in 7 days</span>"
                : duty.next.map { "\(format.dayTime($0.at)) \(who($0.person, $0.name))" }.joined(separator: "<br>")
            return """
                <tr><td>\(escape(duty.target)) <span class=quiet>\(escape(duty.kind))</span></td>\
                <td>\(who(duty.person, duty.name))</td><td>\(until)</td><td>\(backup)</td><td>\(next)</td></tr>
                """
        }
        return """
            <table><tr><th>Rota</th><th>On duty</th><th>Until</th><th>Backup</th><th>Next hand-offs</th></tr>
            \(rows.joined())</table>
            """
    }

    private static func trouble(_ board: OpsBoard) -> String {
        guard !board.trouble.isEmpty else { return "<p class=quiet>No page failed in the last 24 hours.</p>" }
        let rows = board.trouble.map { channel in
            let pages =
                channel.pages.isEmpty
                ? "<span class=quiet>none open</span>"
                : channel.pages.map {
                    "\(escape($0.reference.description)) → \(escape($0.person)): \(escape($0.status)), "
                        + "\($0.attempts) attempts"
                }.joined(separator: "<br>")
            return """
                <tr><td><code>\(escape(channel.channel))</code></td><td>\(channel.failedAttempts)</td>\
                <td>\(channel.gaveUp)</td><td>\(pages)</td></tr>
                """
        }
        return """
            <table><tr><th>Channel</th><th>Failed attempts (24 h)</th><th>Given up (24 h)</th>\
            <th>Open crises' pages failing or retrying</th></tr>
            \(rows.joined())</table>
            """
    }

    private static func journal(_ board: OpsBoard, _ format: BoardFormat) -> String {
        guard !board.journal.isEmpty else { return "<p class=quiet>Nothing in the last 24 hours.</p>" }
        let rows = board.journal.map { line in
            let details = line.details.map { "\(escape($0.key))=\(escape($0.value))" }.joined(separator: " ")
            return """
                <tr><td>\(format.dayTime(line.at))</td><td><code>\(escape(line.kind.rawValue))</code></td>\
                <td>\(escape(line.reference?.description ?? ""))</td><td>\(escape(line.actor))</td>\
                <td>\(details)</td></tr>
                """
        }
        return """
            <table><tr><th>Time</th><th>Kind</th><th>Crisis</th><th>Actor</th><th>Details</th></tr>
            \(rows.joined())</table>
            """
    }

    static func escape(_ text: String) -> String { AckPageHTML.escape(text) }

    /// The answer to a board link that is expired or altered, and to a missing or wrong token.
    static func refused(_ heading: String, _ text: String) -> String {
        """
        <!doctype html><html lang=en><head><meta charset=utf-8>
        <meta name=viewport content="width=device-width, initial-scale=1"><meta name=robots content="noindex">
        <title>\(escape(heading))</title></head>
        <body style="font:18px/1.4 system-ui,sans-serif;padding:1em"><h1>\(escape(heading))</h1>
        <p>\(escape(text))</p></body></html>
        """
    }

    /// When the daemon cannot read its store.
    static let unavailable = refused(
        "Cannot show the board now",
        "crisisd cannot read its database at the moment. The page tries again by itself in a minute; "
            + "crisisctl status on the server shows what it can.")
}
