import Foundation
import Testing

@testable import LanmuCore

/// Site search over a generated corpus with known answers: the index files a build writes, read by a query engine
/// that does what `templates/assets/js/search.js` does, give exactly the articles a brute-force substring search
/// over the same text finds (recall and precision 1.0), title matches first, then newest first.
@Suite struct SearchIndexTests {
    /// A generated site: two columns, names, places, 文号, Latin words and numbers scattered in filler text, and
    /// traps (韦晓 … 晓昌 not side by side).
    struct Corpus {
        let site: TestSite
        /// Per article: URL, title, source, body, column URL, date (for ordering).
        var articles: [(url: String, title: String, source: String, body: String, column: String, date: String)] = []
    }

    static func makeCorpus(count: Int = 240) throws -> Corpus {
        var files = [
            "content/_index.md": TestSite.home, "content/sanfuwu/_index.md": TestSite.section("三服务专题"),
            "content/sanfuwu/shixian/_index.md": TestSite.section("市县动态"),
            "content/zhengwu/_index.md": TestSite.section("政务公开"),
            "content/zhengwu/tongzhi/_index.md": TestSite.section("通知公告"),
        ]
        var random = SplitMix(seed: 21)
        let filler = Array(
            "的一是在了人有我他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领打"
        )
        let names = ["张伟", "韦晓昌", "李娜", "王建明"]
        let places = ["塘墩镇", "越城区", "横村镇"]
        let extras = ["〔2020〕12号", "COVID 防控", "covid19", "第2020号", "ＧＤＰ增长", "2020年", "A股", "5G基站"]
        var articles: [(String, String, String, String, String, String)] = []
        for index in 0..<count {
            let column = index % 3 == 0 ? "zhengwu/tongzhi" : "sanfuwu/shixian"
            func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
            func fill(_ length: Int) -> String { String((0..<length).map { _ in pick(filler) }) }
            var title = fill(4 + index % 5)
            if random.next() % 6 == 0 { title += pick(names) }
            if random.next() % 7 == 0 { title = pick(places) + title }
            var paragraphs: [String] = []
            for _ in 0..<(1 + Int(random.next() % 4)) {
                var paragraph = fill(10 + Int(random.next() % 30))
                for _ in 0..<Int(random.next() % 3) {
                    switch random.next() % 5 {
                    case 0: paragraph += pick(names)
                    case 1: paragraph += pick(places)
                    case 2: paragraph += pick(extras)
                    case 3: paragraph += "韦晓" + fill(3) + "晓昌"
                    default: paragraph += pick(names) + "在" + pick(places)
                    }
                    paragraph += fill(5 + Int(random.next() % 20))
                }
                paragraphs.append(paragraph)
            }
            let body = paragraphs.joined(separator: "\n\n")
            let source = index % 11 == 0 ? "越城区人民政府" : "测试站"
            let date = String(
                format: "2024-%02d-%02d %02d:%02d", 1 + index % 12, 1 + index % 28, 8 + index % 10, index % 60)
            let name = String(format: "a%04d", index)
            files["content/\(column)/\(name).md"] =
                "---\ntitle: \"\(title)\"\ndate: \(date)\n"
                + (source == "测试站" ? "" : "source: \(source)\n") + "---\n\n\(body)\n"
            articles.append(("/\(column)/\(name)/", title, source, body, "/\(column)/", date))
        }
        var corpus = Corpus(site: try TestSite(files))
        corpus.articles = articles.map { ($0.0, $0.1, $0.2, $0.3, $0.4, $0.5) }
        return corpus
    }

    /// What the results page shows for a query: article URLs in order.
    static func bruteForce(_ query: String, column: String? = nil, in corpus: Corpus) -> [String] {
        let terms = SearchText.terms(of: query)
        func contains(_ text: String, _ term: String) -> (Bool) {
            let haystack = Array(SearchText.folded(text).unicodeScalars)
            let needle = Array(term.unicodeScalars)
            guard needle.count <= haystack.count else { return false }
            func word(_ scalar: Unicode.Scalar?) -> Bool {
                scalar.map { SearchText.isWordCharacter($0.value) } ?? false
            }
            for start in 0...(haystack.count - needle.count)
            where Array(haystack[start..<start + needle.count]) == needle {
                // Latin words and numbers match whole: no word character may continue one at either end.
                if word(needle.first), word(start > 0 ? haystack[start - 1] : nil) { continue }
                let after = start + needle.count
                if word(needle.last), word(after < haystack.count ? haystack[after] : nil) { continue }
                return true
            }
            return false
        }
        var found: [(url: String, title: Bool, date: String)] = []
        for article in corpus.articles where column == nil || article.column == column {
            let inTitle = terms.map { contains(article.title, $0) }
            let anywhere = terms.indices.map {
                inTitle[$0] || contains(article.source, terms[$0]) || contains(article.body, terms[$0])
            }
            guard !terms.isEmpty, anywhere.allSatisfy({ $0 }) else { continue }
            found.append((article.url, inTitle.allSatisfy { $0 }, article.date))
        }
        found.sort { $0.title != $1.title ? $0.title : $0.date != $1.date ? $0.date > $1.date : $0.url < $1.url }
        return found.map(\.url)
    }

    static let queries: [(String, String?)] = [
        ("张伟", nil), ("韦晓昌", nil), ("李娜", nil), ("塘墩镇", nil), ("越城区", nil), ("镇", nil), ("伟在塘", nil),
        ("〔2020〕12号", nil), ("2020", nil), ("２０２０", nil), ("covid", nil), ("ＣＯＶＩＤ", nil), ("gdp", nil),
        ("5g基站", nil), ("张伟 塘墩镇", nil), ("越城区 王建明", nil), ("张伟", "/zhengwu/tongzhi/"),
        ("塘墩镇", "/sanfuwu/shixian/"), ("不存在的词", nil), ("王建明在横村镇", nil), ("晓昌", nil),
        ("张伟在塘墩镇", nil), ("伟在越城区", nil), ("在塘墩", nil), ("建明在", nil), ("王建明在横村镇政", nil),
        ("韦晓昌在横", nil), ("在", nil), ("王建", nil), ("王建明 在横村", nil),
    ]

    /// With common keys' postings in files of their own from 4 KB (as built), from 64 bytes (most keys: grams of up
    /// to `SearchGrams.limit` units) and from 4 bytes (nearly every key, so chains reach the limit).
    @Test(arguments: [SearchIndex.ownFileFrom, 64, 4])
    func everyQueryFindsExactlyWhatASubstringSearchFinds(ownFileFrom: Int) throws {
        let corpus = try Self.makeCorpus()
        var options = corpus.site.options
        options.searchOwnFileFrom = ownFileFrom
        let report = Generator(options: options).build(now: testNow)
        #expect(report.succeeded, "\(report.diagnostics)")
        let engine = try SearchEngine(public: corpus.site.root.appendingPathComponent("public"))
        var nonEmpty = 0
        for (query, column) in Self.queries {
            let expected = Self.bruteForce(query, column: column, in: corpus)
            let found = try engine.search(query, column: column)
            #expect(found == expected, "\(query) \(column ?? "")")
            if !expected.isEmpty { nonEmpty += 1 }
        }
        #expect(nonEmpty >= Self.queries.count - 2)
        // The common keys' article lists and longer grams are there to be used: at 4 bytes, chains reach the limit.
        let search = corpus.site.root.appendingPathComponent("public/search")
        let files = try FileManager.default.subpathsOfDirectory(atPath: search.path)
        #expect(files.contains { $0.contains("/a/") } == (ownFileFrom < SearchIndex.ownFileFrom))
        if ownFileFrom == 4 {
            let phrase = Array("王建明在横村镇的")
            #expect(try engine.line(of: String(phrase.prefix(SearchGrams.limit))) == ">")
            #expect(try engine.line(of: String(phrase.prefix(SearchGrams.limit + 1))) == nil)
        }
        // The trap: 韦晓 … 晓昌 in many articles, 韦晓昌 side by side in fewer.
        let pairsApart = corpus.articles.filter { $0.body.contains("韦晓") && $0.body.contains("晓昌") }.count
        #expect(try engine.search("韦晓昌").count < pairsApart)
    }

    /// The byte-wise JSON escape gives what escaping scalar by scalar gives, and JSON parsers read the text back.
    @Test func jsonEscapeIsItsScalarTwin() throws {
        func plain(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "<": out += "\\u003c"
                case "\u{2028}": out += "\\u2028"
                case "\u{2029}": out += "\\u2029"
                default:
                    if scalar.value < 0x20 {
                        out += "\\u" + String(format: "%04x", scalar.value)
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            return out + "\""
        }
        var random = SplitMix(seed: 5)
        let pieces = [
            "\"", "\\", "\n", "\r\n", "\t", "\u{0}", "\u{1F}", "\u{7F}", "<", ">", "\u{2028}", "\u{2029}", "\u{2027}",
            "\u{202A}",
            "中文", "a", "🇨🇳", "é", "\u{E2}",
        ]
        for _ in 0..<3000 {
            let text = (0..<Int(random.next() % 10)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }
                .joined()
            let escaped = SearchIndex.json(text)
            #expect(escaped == plain(text), "\(text.debugDescription)")
            let read = try JSONSerialization.jsonObject(with: Data("[\(escaped)]".utf8)) as! [String]
            #expect(read == [text], "\(text.debugDescription)")
        }
    }

    /// With `raw_html: true` the text of a pasted HTML table is on the page, so search finds it, cell by cell as a
    /// browser shows it (scripts left out); with raw HTML off it is dropped from the page and from search alike.
    @Test func theTextOfRawHTMLShownOnThePageIsSearched() throws {
        let body =
            "前言\n\n<table><tr><td>塘墩</td><td>镇</td></tr><tr><td>越城<b>区</b><script>隐藏</script></td></tr>"
            + "</table>\n\n后记 <span>塘</span>\n"
        let shown = MarkdownRenderer(options: .init(rawHTML: true, collectsText: true)).render(body).plainText ?? ""
        #expect(shown.contains("越城区"))
        #expect(shown.contains("塘墩"))
        #expect(!shown.contains("塘墩镇"))
        #expect(!shown.contains("隐藏"))
        #expect(shown.contains("后记 塘"))
        let dropped = MarkdownRenderer(options: .init(rawHTML: false, collectsText: true)).render(body).plainText ?? ""
        #expect(!dropped.contains("越城"))
        #expect(dropped.contains("前言") && dropped.contains("后记"))
    }

    @Test func searchFalseWritesNoIndexAndNoSearchBox() throws {
        var files = TestSite.column(articles: 3)
        files["content/_index.md"] = "---\ntitle: 首页\nsearch: false\n---\n"
        let site = try TestSite(files)
        #expect(site.build().succeeded)
        #expect(!site.exists("public/search"))
        #expect(!(try site.read("public/index.html")).contains("role=\"search\""))
    }

    @Test func searchIsOnByDefaultWithABoxInEveryPageHeader() throws {
        let site = try TestSite(TestSite.column(articles: 3))
        #expect(site.build().succeeded)
        #expect(site.exists("public/search/index.json"))
        #expect(site.exists("public/search/index.html"))
        for page in ["public/index.html", "public/sanfuwu/shixian/index.html", "public/sanfuwu/shixian/a01/index.html"]
        {
            #expect(try site.read(page).contains("<form class=\"site-search\" role=\"search\" action=\"/search/\""))
        }
        #expect(try site.read("public/search/index.html").contains("id=\"search-results\""))
    }

    @Test func aMalformedSearchSettingIsE016() throws {
        var files = TestSite.column(articles: 1)
        files["content/_index.md"] = "---\ntitle: 首页\nsearch: maybe\n---\n"
        let site = try TestSite(files)
        let report = site.build()
        let problems = report.diagnostics.filter { $0.code == .invalidSetting }
        #expect(problems.count == 1 && !report.succeeded)
        #expect(problems.first?.location.line == 3)
    }

    @Test func aTopicCalledSearchClashesWithTheResultsPage() throws {
        var files = TestSite.column(articles: 1)
        files["content/search/_index.md"] = TestSite.section("搜索专题")
        let site = try TestSite(files)
        let report = site.build()
        #expect(
            report.diagnostics.contains { $0.code == .duplicateURL && $0.location.file.hasSuffix("search/_index.md") })
        files["content/_index.md"] = "---\ntitle: 首页\nsearch: false\n---\n"
        #expect(try TestSite(files).build().succeeded)
    }

    @Test func sameInputGivesTheSameIndex() throws {
        let corpus = try Self.makeCorpus(count: 60)
        #expect(corpus.site.build().succeeded)
        let first = corpus.site.tree("public/search")
        #expect(corpus.site.build().succeeded)
        #expect(corpus.site.tree("public/search") == first)
    }

    /// Format 2: a unit's postings are `2 × gap + inTitle`; a pair's are the gap, `2 × count + (some in the title)`,
    /// the title's count, the positions (title from 0, then one empty position, then source and body). A title longer
    /// than the old 1024-position offset still tells title matches from body matches.
    @Test func postingsCarryTheTitleBesideSmallPositions() throws {
        let long = String(repeating: "甲", count: 1500)
        var files = TestSite.column(articles: 0)
        files["content/sanfuwu/shixian/a1.md"] = "---\ntitle: \"\(long)塘墩\"\ndate: 2024-01-01\nsource: 丁\n---\n\n乙\n"
        files["content/sanfuwu/shixian/a2.md"] = "---\ntitle: 丙\ndate: 2024-01-02\nsource: 丁\n---\n\n\(long)塘墩镇\n"
        let site = try TestSite(files)
        #expect(site.build().succeeded)
        let engine = try SearchEngine(public: site.root.appendingPathComponent("public"))
        // a2 is newer (number 0), a1 has the term in its title: a1 first.
        #expect(try engine.search("塘墩") == ["/sanfuwu/shixian/a1/", "/sanfuwu/shixian/a2/"])
        #expect(try engine.search("甲塘") == ["/sanfuwu/shixian/a1/", "/sanfuwu/shixian/a2/"])
        #expect(try engine.search("甲塘墩镇") == ["/sanfuwu/shixian/a2/"])
        #expect(try engine.search("乙") == ["/sanfuwu/shixian/a1/"])
        // The lines themselves: 塘 in a2's body (doc 0: 2 × 0 + 0 = "P") and a1's title (doc 1: 2 × 0 + 1 = "Q");
        // 塘墩 in a2 once at 1504 (title 丙 at 0, a gap, source 丁 at 2, a gap, body from 4: 1500 甲 then 塘), in a1
        // once at 1500 in the title: gap 0, 2 × 1 + 1 = 3, one in the title, position 1500.
        #expect(try engine.line(of: "塘") == "PQ")
        var expected: [UInt8] = []
        for value in [0, 2, 1504, 0, 3, 1, 1500] { SearchCode.append(value, to: &expected) }
        #expect(try engine.line(of: "塘墩") == String(decoding: expected, as: UTF8.self))
    }

    @Test(arguments: [
        (0, "P"), (31, "o"), (32, "1P"), (1023, "Oo"), (1024, "10P"),
    ])
    func numbersAreWrittenInBase32(value: Int, text: String) {
        var bytes: [UInt8] = []
        SearchCode.append(value, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == text)
        var index = 0
        #expect(SearchCode.read(bytes, at: &index) == value)
    }
}

/// The results page's query engine (`search.js`) in Swift, over the files a build wrote.
struct SearchEngine {
    let root: URL
    let manifest: [String: Any]
    let base: URL
    let bits: Int

    init(public root: URL) throws {
        self.root = root
        let data = try Data(contentsOf: root.appendingPathComponent("search/index.json"))
        manifest = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        base = root.appendingPathComponent(String((manifest["base"] as! String).dropFirst()))
        bits = manifest["bits"] as! Int
        precondition(manifest["format"] as? Int == SearchIndex.formatNumber)
    }

    /// Article URLs in the order the results page lists them.
    func search(_ query: String, column: String? = nil) throws -> [String] {
        var found: [Int: Bool]?
        for term in SearchText.terms(of: query) {
            let matches = try match(term)
            guard let current = found else {
                found = matches
                continue
            }
            var next: [Int: Bool] = [:]
            for (doc, title) in current { if let other = matches[doc] { next[doc] = title && other } }
            found = next
        }
        var docs = found ?? [:]
        if let column {
            let columns = manifest["columns"] as! [[String]]
            let index = columns.firstIndex { $0[0] == column }!
            let text = Array(
                try String(contentsOf: base.appendingPathComponent("c/\(index).txt"), encoding: .utf8).utf8)
            var allowed = Set<Int>()
            var position = 0
            var doc = -1
            while position < text.count {
                doc += SearchCode.read(text, at: &position) + 1
                allowed.insert(doc)
            }
            docs = docs.filter { allowed.contains($0.key) }
        }
        let order = docs.sorted { $0.value != $1.value ? $0.value : $0.key < $1.key }
        return try order.map { doc, _ in
            let data = try Data(contentsOf: base.appendingPathComponent("d/\(doc).json"))
            return (try JSONSerialization.jsonObject(with: data) as! [String])[0]
        }
    }

    /// A key's postings as written in its shard (nil when no article has it); not for keys in a file of their own.
    func line(of key: String) throws -> String? {
        let shard = SearchText.hash(key) >> UInt32(32 - bits)
        let text = try String(contentsOf: base.appendingPathComponent("s/\(shard).txt"), encoding: .utf8)
        let line = text.split(separator: "\n").first { $0.hasPrefix(key + "\t") }
        return line.map { String($0.dropFirst(key.count + 1)) }
    }

    /// A key's line in its shard: its postings, or the number of the common key (its files `p/` and `a/`).
    private func entry(_ key: String) throws -> (shard: UInt32, bytes: [UInt8], own: Int?)? {
        let shard = SearchText.hash(key) >> UInt32(32 - bits)
        let text = try String(contentsOf: base.appendingPathComponent("s/\(shard).txt"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        guard let place = lines.firstIndex(where: { $0.hasPrefix(key + "\t") }) else { return nil }
        let bytes = Array(lines[place].dropFirst(key.count + 1).utf8)
        guard bytes == [UInt8(ascii: ">")] else { return (shard, bytes, nil) }
        return (shard, [], lines[..<place].count { $0.hasSuffix("\t>") })
    }

    /// A line's postings: inline, or a common key's file of the kind (`p` positions, `a` articles).
    private func postings(_ entry: (shard: UInt32, bytes: [UInt8], own: Int?), kind: String) throws -> [UInt8] {
        guard let own = entry.own else { return entry.bytes }
        return Array(try Data(contentsOf: base.appendingPathComponent("\(kind)/\(entry.shard)-\(own).txt")))
    }

    /// A unit's postings or an article list: doc → in the title.
    private func articles(_ bytes: [UInt8]) -> [Int: Bool] {
        var result: [Int: Bool] = [:]
        var index = 0
        var doc = -1
        while index < bytes.count {
            let value = SearchCode.read(bytes, at: &index)
            doc += value / 2 + 1
            result[doc] = value % 2 == 1
        }
        return result
    }

    /// doc → whether the term is in the title: a unit's list; else the term's prefixes from the first pair on while
    /// they are common, then the whole term's article list, or a rare prefix's positions continued by pairs.
    private func match(_ term: String) throws -> [Int: Bool] {
        let units = SearchText.units(ofTerm: term)
        if units.count == 1 {
            guard let entry = try entry(units[0]) else { return [:] }
            return articles(try postings(entry, kind: "p"))
        }
        let limit = manifest["grams"] as! Int
        var length = 2
        while true {
            let key = units[0..<length].joined()
            guard let entry = try entry(key) else { return [:] }
            if entry.own != nil {
                if length == units.count { return articles(try postings(entry, kind: "a")) }
                if length < limit {
                    length += 1
                    continue
                }
                return try aligned(units, from: 0, first: [])
            }
            return try aligned(units, from: length, first: [(key, 0)])
        }
    }

    /// The articles where the prefix (if any) and the pairs after it sit side by side.
    private func aligned(_ units: [String], from: Int, first: [(key: String, offset: Int)]) throws -> [Int: Bool] {
        var keys = first
        var offset = from
        while offset + 1 < units.count {
            keys.append((units[offset] + units[offset + 1], offset))
            offset += 2
        }
        if (units.count - from) % 2 == 1 {
            keys.append((units[units.count - 2] + units[units.count - 1], units.count - 2))
        }
        var lists: [[Int: (positions: [Int], inTitle: Int)]] = []
        for (key, _) in keys {
            guard let entry = try entry(key) else { return [:] }
            let bytes = try postings(entry, kind: "p")
            // doc → positions and how many of them (the first) are in the title.
            var list: [Int: (positions: [Int], inTitle: Int)] = [:]
            var index = 0
            var doc = -1
            while index < bytes.count {
                doc += SearchCode.read(bytes, at: &index) + 1
                let counted = SearchCode.read(bytes, at: &index)
                let inTitle = counted % 2 == 1 ? SearchCode.read(bytes, at: &index) : 0
                var positions: [Int] = []
                var position = -1
                for _ in 0..<counted / 2 {
                    position += SearchCode.read(bytes, at: &index) + 1
                    positions.append(position)
                }
                list[doc] = (positions, inTitle)
            }
            lists.append(list)
        }
        var result: [Int: Bool] = [:]
        for (doc, first) in lists[0] {
            guard lists.allSatisfy({ $0[doc] != nil }) else { continue }
            let matches = first.positions.indices.filter { occurrence in
                let start = first.positions[occurrence] - keys[0].offset
                return keys.indices.dropFirst().allSatisfy {
                    lists[$0][doc]!.positions.contains(start + keys[$0].offset)
                }
            }
            // The title's occurrences come first.
            if let earliest = matches.min() { result[doc] = earliest < first.inTitle }
        }
        return result
    }
}

/// A small seeded generator (SplitMix64): the same corpus on every run.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49EB_00D1_33EB
        return value ^ (value >> 31)
    }
}
