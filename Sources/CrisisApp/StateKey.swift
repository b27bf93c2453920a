import Foundation
import Synchronization

/// A secret of crisisd's own: 32 random bytes in a file of the state directory, mode 0600, made
/// the first time it is needed, then kept in memory. One file per use, each random rather than
/// derived from another, so that revoking one (delete the file, restart crisisd) touches
/// nothing else:
/// - `board-link.key` signs ops board links;
/// - `ack-link.key` derives the token of the acknowledgement link a claimed page carries
///   (`ImmediateClaim.linkKey`). Links already issued stay valid without it: the database
///   keeps their hashes.
final class StateKey: Sendable {
    static let boardLinks = "board-link.key"
    static let ackLinks = "ack-link.key"
    static let length = 32

    let path: String
    private let cached = Mutex<[UInt8]?>(nil)

    init(stateDir: String, fileName: String) {
        path = (stateDir as NSString).appendingPathComponent(fileName)
    }

    enum Failure: Error, CustomStringConvertible {
        case unusable(String, String)

        var description: String {
            switch self {
            case .unusable(let path, let reason): "the key \(path) cannot be used: \(reason)"
            }
        }
    }

    /// The key, read from its file or made there.
    func bytes() throws -> [UInt8] {
        try cached.withLock { cached in
            if let cached { return cached }
            let key = try readOrCreate()
            cached = key
            return key
        }
    }

    private func readOrCreate() throws -> [UInt8] {
        // O_EXCL: of two makers, one writes and the other reads what it wrote.
        let created = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if created >= 0 {
            var generator = SystemRandomNumberGenerator()
            let key = (0..<Self.length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let written = key.withUnsafeBytes { write(created, $0.baseAddress, $0.count) }
            let synced = fsync(created)
            close(created)
            guard written == Self.length, synced == 0 else {
                unlink(path)
                throw Failure.unusable(path, "writing it failed (errno \(errno))")
            }
            return key
        }
        guard errno == EEXIST else { throw Failure.unusable(path, String(cString: strerror(errno))) }
        guard let data = FileManager.default.contents(atPath: path), data.count == Self.length else {
            throw Failure.unusable(
                path, "it is not \(Self.length) bytes; delete it and restart crisisd to make a new one")
        }
        return Array(data)
    }
}
