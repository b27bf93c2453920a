import CrisisStorage
import Testing

/// A token's hash is what `printf %s TOKEN | sha256sum` prints, as the config asks operators to
/// write it (`token_sha256`).
@Suite struct SecretTokenHashTests {
    @Test func theHashIsSha256sumsOutput() {
        // FIPS 180-2's example, and `printf abc | sha256sum`.
        #expect(SecretToken.sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SecretToken.sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
