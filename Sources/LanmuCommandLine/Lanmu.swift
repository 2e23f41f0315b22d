import ArgumentParser
import Foundation

/// The `lanmu` command. Exit status: 0 success, 1 content or template errors, 2 usage errors.
public struct Lanmu: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "lanmu",
        abstract: "栏目（Lanmu）：为新闻栏目生成静态网站。",
        version: BuildInfo.versionLine,
        subcommands: [
            Build.self, Serve.self, Check.self, New.self, Audit.self, Init.self, Theme.self, Counter.self,
            Import.self,
        ])

    public init() {}

    /// Runs the command the process's arguments name, then exits; status 2 for every usage error (argument-parser's
    /// own default is 64). Named apart from argument-parser's `main()`, which has other exit statuses.
    public static func runFromCommandLine() async -> Never {
        // Typing mistakes told in Chinese first; the parser's own messages are in English.
        if let problem = UsageProblem.first(in: Array(CommandLine.arguments.dropFirst())) {
            FileHandle.standardError.write(Data((problem.description + "\n").utf8))
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success || code.rawValue == 1 { exit(withError: error) }
            let message = fullMessage(for: error)
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            Foundation.exit(2)
        }
        Foundation.exit(0)
    }
}
