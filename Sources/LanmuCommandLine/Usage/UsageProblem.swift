import LanmuCore

/// The mistakes editors make typing a command — `lanmu biuld`, `--outptu`, `--output` with nothing after it — told
/// in Chinese, with the likely meant name, before the argument parser answers them in English. What this does not
/// recognise is left to the parser.
struct UsageProblem: CustomStringConvertible {
    struct Detail {
        var text: String
        var hint: String
    }

    /// Who speaks: `lanmu` or `lanmu build`.
    var speaker: String
    var detail: Detail

    var description: String { "\(speaker): \(detail.text)\n    提示: \(detail.hint)" }

    /// The first mistake in the arguments (without the program's name), or nil.
    static func first(in arguments: [String], vocabulary: CommandVocabulary = .lanmu) -> UsageProblem? {
        guard let first = arguments.first, !first.hasPrefix("-"), first != "help" else { return nil }
        guard let command = vocabulary.command(named: first) else {
            let names = vocabulary.commands.map(\.name)
            let guess = EditDistance.closest(to: first, among: names)
            let list = vocabulary.commands.map { "\($0.name)（\($0.summary)）" }.joined(separator: "、")
            return UsageProblem(
                speaker: "lanmu",
                detail: Detail(
                    text: "没有“\(first)”这个命令" + (guess.map { "，是不是想写 \($0)？" } ?? ""),
                    hint: "可用的命令：\(list)；lanmu --help 查看说明"))
        }
        return problem(in: arguments.dropFirst(), of: command, speaker: "lanmu \(first)", vocabulary: vocabulary)
    }

    private static func problem(
        in arguments: ArraySlice<String>, of command: CommandVocabulary.Command, speaker: String,
        vocabulary: CommandVocabulary
    ) -> UsageProblem? {
        if !command.subcommands.isEmpty {
            // A command that only groups others (`lanmu theme`): its first argument names one of them.
            guard let name = arguments.first, !name.hasPrefix("-"), name != "help" else { return nil }
            guard let subcommand = command.subcommands.first(where: { $0.name == name }) else {
                let guess = EditDistance.closest(to: name, among: command.subcommands.map(\.name))
                let list = command.subcommands.map { "\($0.name)（\($0.summary)）" }.joined(separator: "、")
                return UsageProblem(
                    speaker: speaker,
                    detail: Detail(
                        text: "没有“\(name)”这个命令" + (guess.map { "，是不是想写 \($0)？" } ?? ""),
                        hint: "可用的命令：\(list)；\(speaker) --help 查看说明"))
            }
            return problem(
                in: arguments.dropFirst(), of: subcommand, speaker: "\(speaker) \(name)", vocabulary: vocabulary)
        }
        let known = command.options.union(command.flags).union(["--help", "-h", "-help"])
        let example = command.examples.first ?? speaker
        var positional: [String] = []
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            if argument == "--" {
                positional += rest
                break
            }
            guard argument.hasPrefix("-"), argument != "-" else {
                positional.append(argument)
                continue
            }
            let name = String(argument.prefix { $0 != "=" })
            guard known.contains(name) else {
                let guess = EditDistance.closest(to: name, among: known.filter { $0.hasPrefix("--") })
                return UsageProblem(
                    speaker: speaker,
                    detail: Detail(
                        text: "没有 \(name) 这个选项" + (guess.map { "，是不是想写 \($0)？" } ?? ""),
                        hint: "\(speaker) --help 列出所有选项"))
            }
            guard command.options.contains(name) else { continue }
            let value: String
            if argument.count > name.count {
                value = String(argument.dropFirst(name.count + 1))
            } else if let next = rest.first, !next.hasPrefix("--") {
                value = next
                rest = rest.dropFirst()
            } else {
                return UsageProblem(
                    speaker: speaker,
                    detail: Detail(
                        text: "\(name) 后面要写一个值",
                        hint: "例如 \(speaker) \(name) \(vocabulary.exampleValue(of: name, in: command))"))
            }
            if let detail = (command.type as? ExplainsBadValues.Type)?.problem(withValue: value, of: name) {
                return UsageProblem(speaker: speaker, detail: detail)
            }
        }
        let expected = command.arguments.count
        if positional.count > expected {
            let what = expected == 0 ? "不需要其他参数" : "只需要 \(expected) 个参数"
            return UsageProblem(
                speaker: speaker,
                detail: Detail(text: "多了一个参数“\(positional[expected])”：这个命令\(what)", hint: "例如 \(example)"))
        }
        if positional.count < command.requiredArguments {
            return UsageProblem(
                speaker: speaker,
                detail: Detail(
                    text: "缺少参数：要写\(listed(Array(command.arguments.prefix(command.requiredArguments))))",
                    hint: "例如 \(example)"))
        }
        return nil
    }

    /// `A`, `A和B`, `A、B和C`.
    private static func listed(_ items: [String]) -> String {
        guard let last = items.last, items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: "、") + "和" + last
    }
}

/// A command that explains a bad value of one of its options in Chinese before the parser answers in English.
protocol ExplainsBadValues {
    /// What is wrong with `value` given to `option` (spelled `--port`), or nil when it is fine.
    static func problem(withValue value: String, of option: String) -> UsageProblem.Detail?
}
