import CrisisConfig
import Foundation

/// The config files under `Fixtures/`, copied into the test bundle.
enum Fixture {
    static func path(_ name: String) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
            fatalError("no fixture \(name) in \(Bundle.module.bundlePath)")
        }
        return url.path
    }

    /// Every fixture file name, so that a new file without a test is noticed.
    static var names: [String] {
        let folder = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    /// The issues loading `name` reports; empty when it loads.
    static func issues(_ name: String) -> [ConfigIssue] {
        do {
            _ = try ConfigLoader.load(path: path(name))
            return []
        } catch {
            return error.issues
        }
    }
}
