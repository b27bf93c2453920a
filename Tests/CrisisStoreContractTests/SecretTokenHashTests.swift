import CrisisStorage
import Foundation
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

/// A derived token is HMAC-SHA256 of its subject under the key, in base64url.
@Suite struct SecretTokenDerivationTests {
    @Test func aDerivedTokenIsTheHMACOfItsSubjectEachTimeTheSame() {
        // RFC 4231's test case 2 (`printf %s 'what do ya want for nothing?' | openssl dgst
        // -sha256 -hmac Jefe`), in base64url.
        let deriver = SecretToken.Deriver(key: Array("Jefe".utf8))
        let token = deriver.token(subject: "what do ya want for nothing?")
        #expect(token == "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM")
        // Each token starts from the key, not from where the one before left off.
        #expect(deriver.token(subject: "what do ya want for nothing?") == token)
        #expect(SecretToken.derived(key: Array("Jefe".utf8), subject: "what do ya want for nothing?") == token)
        #expect(deriver.token(subject: "ack-link/CR-7K4P/1/1") != token)
    }
}

/// Tokens go out in links and SMS: 43 characters of base64url for 32 random bytes.
@Suite struct SecretTokenGenerationTests {
    @Test func base64URLMatchesFoundationsBase64WithTheURLAlphabetAndNoPadding() {
        // RFC 4648's test vectors, and every length of tail, with the bytes that map to + and /.
        var bytes: [[UInt8]] = ["", "f", "fo", "foo", "foob", "fooba", "foobar"].map { Array($0.utf8) }
        bytes += [[0xfb, 0xff], [0xfb, 0xff, 0xbf], [0xff, 0xfe, 0xfd, 0xfc], (0..<64).map { UInt8($0 * 4) }]
        var generator = SystemRandomNumberGenerator()
        bytes += (0..<200).map { n in (0..<(n % 40)).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        for sample in bytes {
            let foundation = Data(sample).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(SecretToken.base64URL(sample) == foundation, "\(sample)")
        }
        #expect(SecretToken.base64URL(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(SecretToken.base64URL([0xfb, 0xff]) == "-_8")
    }

    @Test func aTokenIs32RandomBytesIn43URLSafeCharacters() {
        let tokens = (0..<1000).map { _ in SecretToken.generate() }
        #expect(Set(tokens).count == 1000)
        for token in tokens {
            #expect(SecretToken.isWellFormed(token), "\(token)")
            let padded = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "="
            #expect(Data(base64Encoded: padded)?.count == 32, "\(token)")
        }
        // Every character of the alphabet turns up: the bytes are not all alike.
        #expect(Set(tokens.joined()).count == 64)
    }
}
