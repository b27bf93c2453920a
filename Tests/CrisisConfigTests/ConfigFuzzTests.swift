import CrisisConfig
import Foundation
import Testing

/// A bounded fuzz run of the loader: many mutations of the shipped example and of the test
/// fixtures (bytes changed, cut, brackets and quotes inserted, lines repeated) must each either
/// load or be refused with issues. A crash kills the test run and a hang hits the time limit;
/// both are failures. About one case in sixteen holds a header such as `[[[x` or `[.]`, which
/// made the C++ TOML library used before abort the process. The seed is fixed so a failure can be replayed: CRISISD_FUZZ_SEED and
/// CRISISD_FUZZ_CASES run other or longer series.
struct ConfigFuzzTests {
    static let environment = ProcessInfo.processInfo.environment
    static let seed = environment["CRISISD_FUZZ_SEED"].flatMap(UInt64.init) ?? 20_261_102
    static let cases = environment["CRISISD_FUZZ_CASES"].flatMap(Int.init) ?? 5_000

    /// What the mutations insert: the lines that broke the C++ parser, and TOML's delimiters.
    static let fragments = [
        "[[[x", "\n[[[x\n", "\n[\n", "\n[!]\n", "\n[.]\n", "\n[..]\n", "[", "]", "[!]", "[.]", "[..]", "[[", "]]", "{",
        "}", "\"", "'", "\"\"\"", "'''", "=", ",", ".", "#",
        "\n", "\r", "\t", "\\", "\\u", "\\U0010FFFF", "\u{0}", "\u{7F}", "é", "😀", "\u{FEFF}", "0x", "1_", "+inf",
        "1979-05-27T", "07:32", "a.b.", "= [", "[[people]]\n", "[escalation]\n", "{ notify = [", "\"\"\"\n",
        String(repeating: "[", count: 100), String(repeating: "{a=", count: 100),
    ].map { Array($0.utf8) }

    static var seeds: [[UInt8]] {
        let example = ExampleConfigTests.path
        let fixtures = ["good-full.toml", "good-minimal.toml", "several-problems.toml"].map(Fixture.path)
        return ([example] + fixtures).compactMap { FileManager.default.contents(atPath: $0).map(Array.init) }
    }

    @Test(.timeLimit(.minutes(2)))
    func everyMutationOfAValidFileLoadsOrIsRefusedWithIssues() throws {
        let seeds = Self.seeds
        try #require(seeds.count == 4)
        var random = SplitMix64(seed: Self.seed)
        var loaded = 0
        var notTOML = 0
        for number in 0..<Self.cases {
            var bytes = seeds[Int(random.next() % UInt64(seeds.count))]
            for _ in 0...(random.next() % 4) { mutate(&bytes, &random) }
            // The loader gets text; invalid UTF-8 is refused before parsing ("cannot read").
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                _ = try ConfigLoader.parse(text)
                loaded += 1
            } catch {
                let issues = error.issues
                #expect(!issues.isEmpty, "case \(number) of seed \(Self.seed)")
                if let first = issues.first, first.message.hasPrefix("not valid TOML") {
                    notTOML += 1
                    // A syntax error is the only issue, and names a line of the file.
                    let lines = text.utf8.count { $0 == UInt8(ascii: "\n") } + 1
                    let line = Int(first.place.dropFirst("line ".count)) ?? 0
                    #expect(
                        issues.count == 1 && (1...lines).contains(line), "case \(number) of seed \(Self.seed): \(error)"
                    )
                }
            }
        }
        // The series reaches both sides: broken TOML, and TOML the config refuses or loads.
        #expect(notTOML > Self.cases / 4)
        #expect(Self.cases - notTOML > Self.cases / 20)
        #expect(loaded > 0)
    }

    func mutate(_ bytes: inout [UInt8], _ random: inout SplitMix64) {
        func position(_ count: Int) -> Int { Int(random.next() % UInt64(count + 1)) }
        switch random.next() % 6 {
        case 0 where !bytes.isEmpty:  // change one byte
            bytes[position(bytes.count - 1)] = UInt8(truncatingIfNeeded: random.next())
        case 1:  // insert a fragment
            let fragment = Self.fragments[Int(random.next() % UInt64(Self.fragments.count))]
            bytes.insert(contentsOf: fragment, at: position(bytes.count))
        case 2:  // cut the file short
            bytes.removeLast(bytes.count - position(bytes.count))
        case 3 where !bytes.isEmpty:  // delete a stretch
            let start = position(bytes.count - 1)
            bytes.removeSubrange(start..<min(bytes.count, start + 1 + position(40)))
        case 4:  // repeat a stretch, such as a header or a key
            let start = position(bytes.count)
            let end = min(bytes.count, start + position(60))
            bytes.insert(contentsOf: bytes[start..<end], at: position(bytes.count))
        default:  // swap two bytes
            guard bytes.count > 1 else { return }
            bytes.swapAt(position(bytes.count - 1), position(bytes.count - 1))
        }
    }
}

/// A small seeded generator, so that every run of the series is the same.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
