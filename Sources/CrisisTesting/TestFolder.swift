import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where a test process keeps the files it makes (databases, their logs): one folder per process,
/// removed when the process exits, so that test runs leave nothing in the temporary directory
/// (they left a few hundred folders and databases there each).
public enum TestFolder {
    /// `crisisd-tests-PID` in the temporary directory, made on first use.
    public static let root: URL = {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "crisisd-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: TestFolder.root) }
        return root
    }()

    /// A new name under the root: `prefix-` and eight random characters, then `suffix`.
    public static func unique(_ prefix: String, suffix: String = "") -> URL {
        root.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))\(suffix)")
    }
}
