/// The mistakes editors make typing a command — `lanmu biuld`, `--outptu`, `--output` with nothing after it — told in
/// Chinese, with the likely meant name, before the argument parser answers them in English. What this does not
/// recognise is left to the parser. A test holds the table to what the parser accepts (`--experimental-dump-help`).
public enum CommandLineUsage {
    public struct Command: Sendable {
        public let name: String
        /// What it does, in a few words.
        public let summary: String
        /// Options that take a value, with an example value for the message.
        public let options: [(name: String, example: String)]
        public let flags: [String]
        /// The positional arguments it takes, what they are and how to write them, for the message.
        public let arguments: (count: Int, what: String, example: String)
    }

    private static let siteOptions = [("site", "网站目录"), ("content", "content"), ("templates", "templates")]

    public static let commands: [Command] = [
        Command(
            name: "build", summary: "生成网站",
            options: siteOptions + [("output", "public"), ("base-url", "https://www.example.gov.cn")],
            flags: ["drafts", "future"], arguments: (0, "", "lanmu build --output public")),
        Command(
            name: "serve", summary: "本机预览", options: siteOptions + [("host", "127.0.0.1"), ("port", "8000")],
            flags: ["drafts", "future"], arguments: (0, "", "lanmu serve --port 8000")),
        Command(
            name: "check", summary: "只检查，不写文件", options: siteOptions + [("output", "public")],
            flags: ["drafts", "future"], arguments: (0, "", "lanmu check")),
        Command(
            name: "new", summary: "新建文章", options: siteOptions, flags: [],
            arguments: (2, "栏目路径和文章标题", "lanmu new sanfuwu/shixian \"文章标题\"")),
    ]

    /// The message for the first mistake in the arguments (without the program's name), or nil.
    public static func problem(in arguments: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-"), first != "help" else { return nil }
        guard let command = commands.first(where: { $0.name == first }) else {
            let guess = EditDistance.closest(to: first, among: commands.map(\.name))
            let list = commands.map { "\($0.name)（\($0.summary)）" }.joined(separator: "、")
            return message(
                "lanmu", "没有“\(first)”这个命令" + (guess.map { "，是不是想写 \($0)？" } ?? ""),
                hint: "可用的命令：\(list)；lanmu --help 查看说明")
        }
        let valued = Dictionary(uniqueKeysWithValues: command.options.map { ("--" + $0.name, $0.example) })
        let known = Set(valued.keys).union(command.flags.map { "--" + $0 }).union(["--help", "-h", "-help"])
        var positional: [String] = []
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                positional += arguments[index...]
                break
            }
            guard argument.hasPrefix("-"), argument != "-" else {
                positional.append(argument)
                continue
            }
            let name = String(argument.prefix { $0 != "=" })
            let help = "lanmu \(command.name) --help 列出所有选项"
            guard known.contains(name) else {
                let guess = EditDistance.closest(to: name, among: known.filter { $0.hasPrefix("--") })
                return message(
                    "lanmu \(command.name)", "没有 \(name) 这个选项" + (guess.map { "，是不是想写 \($0)？" } ?? ""), hint: help)
            }
            guard let example = valued[name] else { continue }
            let value: String
            if argument.count > name.count {
                value = String(argument.dropFirst(name.count + 1))
            } else if index < arguments.count, !arguments[index].hasPrefix("--") {
                value = arguments[index]
                index += 1
            } else {
                return message(
                    "lanmu \(command.name)", "\(name) 后面要写一个值", hint: "例如 lanmu \(command.name) \(name) \(example)")
            }
            if name == "--port", Int(value).map({ (0...65535).contains($0) }) != true {
                return message(
                    "lanmu \(command.name)", "端口“\(value)”不是 0 到 65535 之间的数字", hint: "例如 --port 8000（0 表示任选一个空闲端口）")
            }
        }
        if positional.count > command.arguments.count {
            let extra = positional[command.arguments.count]
            let what = command.arguments.count == 0 ? "不需要其他参数" : "只需要 \(command.arguments.count) 个参数"
            return message(
                "lanmu \(command.name)", "多了一个参数“\(extra)”：这个命令\(what)", hint: "例如 \(command.arguments.example)")
        }
        if positional.count < command.arguments.count {
            return message(
                "lanmu \(command.name)", "缺少参数：要写\(command.arguments.what)", hint: "例如 \(command.arguments.example)")
        }
        return nil
    }

    private static func message(_ who: String, _ text: String, hint: String) -> String {
        "\(who): \(text)\n    提示: \(hint)"
    }
}
