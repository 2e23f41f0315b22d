import Testing
import Yams

@testable import LanmuCore

/// The reader for plain front matter gives what Yams gives, or leaves the text to Yams.
@Suite struct PlainFrontMatterTests {
    /// The pairs as Yams reads them; nil when Yams refuses the text or it is not a mapping.
    static func throughYams(_ yaml: String) -> [PlainFrontMatter.Pair]? {
        guard let root = try? Parser(yaml: yaml, resolver: .basic, encoding: .utf8).singleRoot(),
            case .mapping(let mapping) = root
        else { return nil }
        return mapping.map { key, value in
            PlainFrontMatter.Pair(
                key: key.scalar?.string ?? "", keyPlace: FrontMatterValue.place(of: key)!,
                value: FrontMatterValue(value))
        }
    }

    static func assertSame(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard let fast = PlainFrontMatter.parse(yaml) else { return false }
        let yams = throughYams(yaml)
        #expect(
            yams != nil, "Yams refuses what the plain reader read: \(yaml.debugDescription)",
            sourceLocation: sourceLocation)
        guard let yams else { return true }
        #expect(fast.map(\.key) == yams.map(\.key), "\(yaml.debugDescription)", sourceLocation: sourceLocation)
        #expect(
            fast.map(\.keyPlace) == yams.map(\.keyPlace), "\(yaml.debugDescription)", sourceLocation: sourceLocation)
        #expect(fast.map(\.value) == yams.map(\.value), "\(yaml.debugDescription)", sourceLocation: sourceLocation)
        return true
    }

    @Test func articleFrontMatterIsReadWithoutYams() {
        let articles = [
            """
            title: "杭州市扎实推进“三服务”活动"
            date: "2020-04-30 09:17:00"
            source: "杭州市退役军人事务局"
            author: 王建明
            summary: '一段摘要，带 "引号" 和 # 号'
            tags:
              - "三服务"
              - 双拥
            draft: true
            """,
            "title: 2024\ndate: 2020-04-30 09:17\ntags:\n- a\n- 'b c'\n\n# 注释\npinned: yes\n",
            "title:   多个空格   \nsource: 来源：某局（转载）\nslug: a-b_c\n",
            "title: \"\"\nauthor: ''\nsummary: null\neditor: ~\n",
            "title: e\u{301}t\u{E9} 🇨🇳 \u{00A0}x\nsummary: a:b, [c] {d}#e\n",
        ]
        for yaml in articles {
            #expect(Self.assertSame(yaml), "not read by the plain reader: \(yaml.debugDescription)")
        }
    }

    @Test func leavesEverythingElseToYams() {
        let others = [
            "title: a\n  continued\n", "title: \"a\\nb\"\n", "title: 'it''s'\n", "title: a # comment\n",
            "title: \"a\" # comment\n", "title: a: b\n", "title: a:\n", "title: [a, b]\n", "title: {a: b}\n",
            "title: &x a\n", "title: *x\n", "title: !tag a\n", "title: |\n  a\n", "title: >\n  a\n", "title: -a\n",
            "title:\n", "tags:\n  - a\n    b\n", "tags:\n  - a\n - b\n", "tags:\n  -a\n", "tags:\n\n  - a\n",
            "title: a\ntitle: b\n", "标题: 中文键\n", "title:\ta\n", "title: a\r\n", "title: a\u{85}b\n",
            "title: a\u{2028}b\n", "title: \u{FEFF}a\n", "  title: a\n", "- a\n", "---\ntitle: a\n", "%YAML 1.1\n",
            "title:a\n", "title : a\n", "", "\n\n", "# only a comment\n", "title: \"open\n", "title: a\n  # c\n",
            "date: 2020\n- x\n", "title: ? a\n", "title: @a\n", "title: `a`\n", "title: a\u{7F}\n", "title: a\u{9F}\n",
        ]
        for yaml in others {
            #expect(PlainFrontMatter.parse(yaml) == nil, "should be left to Yams: \(yaml.debugDescription)")
        }
    }

    /// Thousands of documents made of the lines editors write and the ones that trip YAML up: whatever the plain
    /// reader reads, Yams reads the same.
    @Test func agreesWithYamsOnGeneratedDocuments() {
        var generator = SeededGenerator(seed: 23)
        let keys = ["title", "date", "tags", "summary", "on", "a-b", "x_1", "null", "标题", "ke y", "-k", "1x"]
        let values = [
            "标题", "\"标题\"", "'标题'", "2020-04-30 09:17:00", "2024", "a: b", "a:b", "a #b", "a#b", "a:", "\"a\\\"b\"",
            "'it''s'", "\"it's\"", "'say \"hi\"'", "-a", "- a", "?a", "[a]", "{a}", "&a", "*a", "!a", "|", ">", "%a",
            "@a", "`a`", "#a", "null", "~", "", "  ", "a  ", "a  b", "e\u{301}", "🇨🇳", "a\tb", "a\u{85}b", "a\u{2028}b",
            "\u{FEFF}a", "\u{A0}a", "a\u{A0}", "\u{3000}", "\"a\" b", "'a' b", "\"a\"  ", "\"", "'", "a,b", "a]",
            "\u{E000}", "\u{FFFD}", "\u{FFFE}", "\u{10FFFF}", "a\u{7F}", "a\r",
        ]
        let indents = ["", " ", "  ", "    "]
        let usual = [
            "标题", "\"标题\"", "'标题'", "2020-04-30 09:17:00", "2024", "a:b", "a#b", "null", "~", "a  b", "e\u{301}",
            "🇨🇳", "\"it's\"", "'say \"hi\"'", "\"\"", "''", "a,b", "a]", "\u{A0}a", "x: y",
        ]
        /// Mostly what editors write, sometimes anything.
        func value() -> String {
            (Int.random(in: 0..<4, using: &generator) == 0 ? values : usual).randomElement(using: &generator)!
        }
        func line() -> String {
            switch Int.random(in: 0..<10, using: &generator) {
            case 0: return ""
            case 1:
                return ["# comment", "  # comment", "#", "---", "...", "  ", "  continued"].randomElement(
                    using: &generator)!
            case 2, 3:
                return indents.randomElement(using: &generator)! + ["- ", "-", "-  "].randomElement(using: &generator)!
                    + values.randomElement(using: &generator)!
            case 4: return keys.randomElement(using: &generator)! + ":"
            default:
                return keys.randomElement(using: &generator)! + [": ", ":  ", ":", " : "].randomElement(
                    using: &generator)! + values.randomElement(using: &generator)!
            }
        }
        /// Lines an editor would write: distinct keys, each with a value or a list below it.
        func document() -> [String] {
            var lines: [String] = []
            for key in keys.prefix(8).shuffled(using: &generator).prefix(Int.random(in: 1...5, using: &generator)) {
                if Int.random(in: 0..<4, using: &generator) == 0 {
                    lines.append(key + ":")
                    let indent = indents.randomElement(using: &generator)!
                    for _ in 0..<Int.random(in: 1...3, using: &generator) {
                        lines.append(indent + "- " + value())
                    }
                } else {
                    lines.append(key + ": " + value())
                }
            }
            return lines
        }
        var read = 0
        for round in 0..<6000 {
            let lines =
                round % 2 == 0 ? document() : (0..<Int.random(in: 1...7, using: &generator)).map { _ in line() }
            let yaml = lines.joined(separator: "\n") + (Bool.random(using: &generator) ? "\n" : "")
            if Self.assertSame(yaml) { read += 1 }
        }
        // The comparison means something only if the plain reader takes a fair share of the documents.
        #expect(read > 600, "the plain reader read only \(read) of 6000 documents")
    }
}
