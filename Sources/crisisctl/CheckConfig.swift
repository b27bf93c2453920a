import ArgumentParser
import CrisisConfig
import CrisisCore
import Foundation

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Load and check the config without a daemon; print every problem with its place.")

    @OptionGroup var options: ConfigOption

    func run() throws {
        let path = options.path
        do {
            let config = try ConfigLoader.load(path: path)
            print(
                "\(path): OK (\(config.people.count) people, \(config.channels.count) channels, \(config.rotations.count) rotations, \(config.requesters.count) requesters)")
            let view = OnCallView(rota: config.rota, at: Date())
            for entry in view.rotations {
                print("  on duty now on \(entry.rotation): \(entry.name ?? "NO ONE")")
            }
        } catch {
            print("\(path): \(error.issues.count) problem(s)")
            for issue in error.issues { print("  \(issue)") }
            throw ExitCode(1)
        }
    }
}
