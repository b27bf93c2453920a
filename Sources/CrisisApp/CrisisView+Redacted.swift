import CrisisCore
import CrisisNotify

/// What the API and `crisisctl` are shown: errors stored by a crisisd that did not yet redact
/// them still carry webhook URLs whole, and those are secrets after the host.
extension CrisisView {
    var redacted: CrisisView {
        var view = self
        view.pages = pages.map { page in
            var page = page
            page.lastError = page.lastError.map { Redaction.scrub($0) }
            return page
        }
        return view
    }
}

extension JournalEntry {
    var redacted: JournalEntry {
        var entry = self
        entry.data = data.mapValues { Redaction.scrub($0) }
        return entry
    }
}
