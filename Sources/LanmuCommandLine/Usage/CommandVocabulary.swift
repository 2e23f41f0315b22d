import ArgumentParser
import Foundation

/// The commands, options and arguments the parser accepts, read from its own description of them (the JSON of
/// `--experimental-dump-help`), and the examples in each command's help; the Chinese usage messages are made from
/// these, so they cannot disagree with the parser.
struct CommandVocabulary: Sendable {
    struct Command: Sendable {
        var name: String
        /// The command's abstract: what it does, in a few words.
        var summary: String
        var type: ParsableCommand.Type?
        /// Every name of every option that takes a value, `--output`.
        var options: Set<String>
        /// Every name of every flag, `--drafts`, `-h`.
        var flags: Set<String>
        /// The value name of each option by its names (`--output` → `output`), for an example without a better one.
        var valueNames: [String: String]
        /// The default value of each option that has one, by its names.
        var defaults: [String: String]
        /// What each positional argument is: its help up to the first comma.
        var arguments: [String]
        /// How many of the positional arguments must be given (the first ones; the rest are optional).
        var requiredArguments = 0
        /// The example lines of the command's help (lines of its discussion that start with `lanmu `), else its usage.
        var examples: [String]
        /// Its own subcommands (`lanmu theme export`).
        var subcommands: [Command]
    }

    /// The subcommands, in the order the root command lists them (the parser's own `help` left out).
    var commands: [Command]

    /// The vocabulary of `lanmu`.
    static let lanmu = CommandVocabulary(root: Lanmu.self)

    init(root: ParsableCommand.Type) {
        // The description `--experimental-dump-help` prints; only the fields used here are decoded.
        let tool: ToolInfo
        do {
            tool = try JSONDecoder().decode(ToolInfo.self, from: Data(root._dumpHelp().utf8))
        } catch {
            preconditionFailure("the argument parser's description of \(root) could not be read: \(error)")
        }
        commands = Self.commands(of: tool.command, types: root.configuration.subcommands, root: root)
    }

    /// The subcommands `info` describes (the parser's own `help` left out), each with its own subcommands.
    private static func commands(
        of info: ToolInfo.CommandInfo, types: [ParsableCommand.Type], root: ParsableCommand.Type
    ) -> [Command] {
        (info.subcommands ?? []).filter { $0.commandName != "help" }.map { info in
            let type = types.first { $0.configuration.commandName == info.commandName }
            var command = Command(
                name: info.commandName, summary: info.abstract ?? "", type: type, options: [], flags: [],
                valueNames: [:], defaults: [:], arguments: [], examples: [],
                subcommands: commands(of: info, types: type?.configuration.subcommands ?? [], root: root))
            for argument in info.arguments ?? [] {
                let names = (argument.names ?? []).map(\.spelled)
                switch argument.kind {
                case "option":
                    command.options.formUnion(names)
                    for name in names {
                        command.valueNames[name] = argument.valueName
                        command.defaults[name] = argument.defaultValue
                    }
                case "flag": command.flags.formUnion(names)
                default:
                    let help = argument.abstract ?? argument.valueName ?? ""
                    command.arguments.append(String(help.prefix { $0 != "，" }))
                    if argument.isOptional != true { command.requiredArguments = command.arguments.count }
                }
            }
            command.examples = (info.discussion ?? "").split(separator: "\n")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("lanmu ") }
            if command.examples.isEmpty, let type {
                command.examples = [root.usageString(for: type)]
            }
            return command
        }
    }

    func command(named name: String) -> Command? {
        commands.first { $0.name == name }
    }

    /// A value to show after `option` of `command`: the one an example of the command gives it, else an example of
    /// another command (the option groups are shared), else its default, else its value name.
    func exampleValue(of option: String, in command: Command) -> String {
        let others = commands.filter { $0.name != command.name }.flatMap(\.examples)
        for example in command.examples + others {
            let words = example.split(separator: " ").map(String.init)
            if let index = words.firstIndex(of: option), index + 1 < words.count { return words[index + 1] }
        }
        return command.defaults[option] ?? command.valueNames[option] ?? "…"
    }
}

/// The parts of argument-parser's `ToolInfoV0` (module `ArgumentParserToolInfo`, which it does not export) read here.
private struct ToolInfo: Decodable {
    struct CommandInfo: Decodable {
        var commandName: String
        var abstract: String?
        var discussion: String?
        var subcommands: [CommandInfo]?
        var arguments: [ArgumentInfo]?
    }

    struct ArgumentInfo: Decodable {
        var kind: String
        var names: [NameInfo]?
        var valueName: String?
        var defaultValue: String?
        var abstract: String?
        var isOptional: Bool?
    }

    struct NameInfo: Decodable {
        var kind: String
        var name: String

        /// As typed: `--output`, `-h`, `-help`.
        var spelled: String { (kind == "long" ? "--" : "-") + name }
    }

    var command: CommandInfo
}
