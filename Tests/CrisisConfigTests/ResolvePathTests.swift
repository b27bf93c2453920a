import CrisisConfig
import Testing

struct ResolvePathTests {
    @Test func theConfigOptionWinsOverTheEnvironment() {
        #expect(
            ConfigLoader.resolvePath("/srv/a.toml", environment: ["CRISISD_CONFIG": "/srv/b.toml"]) == "/srv/a.toml")
    }

    @Test func theEnvironmentIsUsedWithoutAnOption() {
        #expect(ConfigLoader.resolvePath(nil, environment: ["CRISISD_CONFIG": "/srv/b.toml"]) == "/srv/b.toml")
    }

    @Test func anEmptyOptionFallsThroughToTheEnvironment() {
        #expect(ConfigLoader.resolvePath("", environment: ["CRISISD_CONFIG": "/srv/b.toml"]) == "/srv/b.toml")
    }

    @Test(arguments: [[:], ["CRISISD_CONFIG": ""], ["OTHER": "/srv/c.toml"]] as [[String: String]])
    func withNeitherTheSystemPathIsUsed(environment: [String: String]) {
        #expect(ConfigLoader.resolvePath(nil, environment: environment) == "/etc/crisisd/crisisd.toml")
    }
}
