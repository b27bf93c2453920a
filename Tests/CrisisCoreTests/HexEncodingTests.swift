import CrisisCore
import Testing

/// Token hashes are written as `sha256sum` prints them: two lower-case digits a byte.
@Suite struct HexEncodingTests {
    @Test func bytesAreTwoLowerCaseDigitsEach() {
        #expect([UInt8]().lowercaseHex == "")
        #expect([0x00, 0x0f, 0x10, 0xab, 0xff].lowercaseHex == "000f10abff")
        #expect((0...255).map { UInt8($0) }.lowercaseHex.count == 512)
    }
}
