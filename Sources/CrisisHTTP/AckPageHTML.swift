import CrisisCore
import Foundation

/// The acknowledgement page, small and mobile-first: what happened where, a button to call back,
/// the deadlines with the time left, **Acknowledge**, and then the next milestones. Plain HTML
/// and inline CSS: no script, nothing fetched from elsewhere.
enum AckPageHTML {
    static func render(_ page: AckLinkPage, notice: String? = nil, problem: String? = nil) -> String {
        let crisis = page.crisis
        let calendar = Calendar.gregorian(in: page.timeZone)
        func time(_ date: Date) -> String {
            let parts = calendar.dateComponents([.hour, .minute], from: date)
            return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
        }
        func left(_ date: Date) -> String {
            let minutes = Int((date.timeIntervalSince(page.now) / 60).rounded(.down))
            if minutes < 0 { return "passed" }
            return minutes >= 60 ? "\(minutes / 60) h \(minutes % 60) min left" : "\(minutes) min left"
        }
        var clocks = ""
        for clock in crisis.clocks {
            let state: String
            if let outcome = clock.outcome {
                state = "\(outcome.rawValue)\(clock.endedAt.map { " at \(time($0))" } ?? "")"
            } else {
                state = "by \(time(clock.dueAt)) (\(left(clock.dueAt)))"
            }
            clocks += "<li><b>\(escape(clock.label))</b> \(escape(state))</li>"
        }
        let digits = crisis.callback.filter { $0.isNumber || $0 == "+" }
        var actions: String
        if crisis.status == .resolved {
            actions = "<p>This crisis is resolved.</p>"
        } else if let at = crisis.acknowledgedAt {
            let who = page.acknowledgedByName ?? crisis.acknowledgedBy ?? "someone"
            actions = "<p class=ok>Acknowledged by \(escape(who)) at \(time(at)).</p>" + milestoneForms(page)
        } else {
            actions = """
                <form method=post><input type=hidden name=action value=ack>
                <button class=primary>Acknowledge</button></form>
                """
        }
        let drill = crisis.drill ? "<p class=drill>DRILL</p>" : ""
        return """
            <!doctype html>
            <html lang=en><head><meta charset=utf-8>
            <meta name=viewport content="width=device-width, initial-scale=1">
            <meta name=robots content="noindex">
            <title>\(escape(crisis.reference.description)) \(escape(crisis.category.rawValue))</title>
            <style>
            body{font:18px/1.4 system-ui,sans-serif;margin:0 auto;max-width:34em;padding:1em}
            h1{font-size:1.4em;margin:.2em 0}button,a.call{display:block;width:100%;box-sizing:border-box;
            font-size:1.1em;padding:.8em;margin:.5em 0;border-radius:.5em;border:1px solid #444;text-align:center}
            .primary{background:#b00020;color:#fff;border:0}a.call{background:#0a5;color:#fff;text-decoration:none}
            .ok{color:#0a5;font-weight:bold}.problem{color:#b00020;font-weight:bold}.drill{font-weight:bold}
            select,input,textarea{font-size:1em;width:100%;box-sizing:border-box;padding:.4em}
            form.step{border-top:1px solid #ccc;padding-top:.5em}ul{padding-left:1.2em}
            </style></head><body>
            \(drill)<h1>\(escape(crisis.reference.description)): \(escape(crisis.category.rawValue))</h1>
            <p>\(escape(crisis.site))</p>
            <a class=call href="tel:\(escape(digits))">Call back \(escape(crisis.callback))</a>
            <ul>\(clocks)</ul>
            \(notice.map { "<p class=ok>\(escape($0))</p>" } ?? "")\(problem.map { "<p class=problem>\(escape($0))</p>" } ?? "")
            \(actions)
            <p><small>For \(escape(page.personName)). Received \(time(crisis.receivedAt)) (\(escape(page.timeZone.identifier))).</small></p>
            </body></html>
            """
    }

    /// The steps after the acknowledgement, each its own small form.
    private static func milestoneForms(_ page: AckLinkPage) -> String {
        // Only where a clock waits for it: a crisis an employee raised.
        let leader =
            page.crisis.clocks.contains { $0.isRunning && $0.stop == .milestone(.leaderInformed) }
            ? """
            <form class=step method=post><input type=hidden name=action value=leader-informed>
            <button>The employee's leader is informed</button></form>
            """ : ""
        let options = page.dispatchable.map { "<option value=\"\(escape($0.id))\">\(escape($0.name))</option>" }
            .joined()
        return """
            <form class=step method=post><input type=hidden name=action value=contacted>
            <button>Contacted the affected person(s)</button></form>
            <form class=step method=post><input type=hidden name=action value=dispatched>
            <label>Crisis psychologist sent to the site<select name=to>\(options)</select></label>
            <button>Dispatched</button></form>
            <form class=step method=post><input type=hidden name=action value=onsite>
            <button>On site</button></form>
            <form class=step method=post><input type=hidden name=action value=waive-onsite>
            <label>Why no one is needed on site<input name=reason maxlength=300 required></label>
            <button>No one needed on site</button></form>
            <form class=step method=post><input type=hidden name=action value=resolved>
            <label>How it ended<input name=outcome maxlength=300 required></label>
            <button>Resolved</button></form>
            \(leader)
            """
    }

    /// `09:05`, in the config's time zone.
    static func clockTime(_ date: Date, in timeZone: TimeZone) -> String {
        let parts = Calendar.gregorian(in: timeZone).dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// After the resolution, which ends the link.
    static func resolved(_ reference: CrisisReference) -> String {
        """
        <!doctype html><html lang=en><head><meta charset=utf-8>
        <meta name=viewport content="width=device-width, initial-scale=1"><title>Resolved</title></head>
        <body style="font:18px/1.4 system-ui,sans-serif;padding:1em"><h1>Done</h1>
        <p>\(escape(reference.description)) is resolved. This link no longer works.</p></body></html>
        """
    }

    /// When the daemon cannot read the link's crisis (its store is failing).
    static let unavailable = """
        <!doctype html><html lang=en><head><meta charset=utf-8>
        <meta name=viewport content="width=device-width, initial-scale=1"><title>Try again</title></head>
        <body style="font:18px/1.4 system-ui,sans-serif;padding:1em"><h1>Cannot show this page now</h1>
        <p>crisisd cannot read the crisis at the moment. Try again in a minute, and call the number
        in the page you received.</p></body></html>
        """

    /// A page for a link that does not open anything (any more).
    static let invalid = """
        <!doctype html><html lang=en><head><meta charset=utf-8>
        <meta name=viewport content="width=device-width, initial-scale=1"><title>Link not valid</title></head>
        <body style="font:18px/1.4 system-ui,sans-serif;padding:1em"><h1>This link does not work</h1>
        <p>It has expired, its crisis is resolved, or it was copied wrong. Use the newest page, or
        acknowledge with <code>crisisctl ack REF</code>.</p></body></html>
        """
}
