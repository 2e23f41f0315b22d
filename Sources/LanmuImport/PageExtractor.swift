import Foundation

/// Where an old page keeps its title, date, source and body. Defaults that work on Hanweb- and TRS-style pages (and on
/// Lanmu's own): the page's meta tags first (`ArticleTitle`, `PubDate`, `ContentSource`), then the visible line
/// `发布日期：… 信息来源：…`, then the selectors, which a site's own rules file can replace.
public struct ImportRules: Sendable, Equatable {
    /// Elements holding the title, tried in order.
    public var title: [Selector] = ["h1.article-title", ".article-title", "#title", ".title", "h1"].compactMap(
        Selector.init)
    /// Elements holding the line with 发布日期 and 信息来源, tried in order when the meta tags do not say.
    public var metadata: [Selector] = [".article-meta", ".info", ".property", "#info"].compactMap(Selector.init)
    /// Elements holding the body, tried in order.
    public var body: [Selector] = [
        "#zoom", ".TRS_Editor", "#UCAP-CONTENT", ".article-body", "#article-body", ".article-content", ".content",
        "#content",
    ].compactMap(Selector.init)

    public init() {}

    /// Reads a rules file: `title = …`, `metadata = …`, `body = …`, each a comma-separated list of selectors tried
    /// in order; a key not written keeps its defaults; a line starting with `#` is a comment.
    public init(reading text: String) throws(ImportProblem) {
        for (number, line) in SettingLines.settings(in: text) {
            guard let equals = line.firstIndex(of: "=") else {
                throw ImportProblem(line: number, "这一行不是“title/metadata/body = 选择器”的形式：\(line)")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var selectors: [Selector] = []
            for text in line[line.index(after: equals)...].split(separator: ",") {
                guard let selector = Selector(String(text)) else {
                    throw ImportProblem(
                        line: number,
                        "“\(text.trimmingCharacters(in: .whitespaces))”不是能用的选择器（可用：h1、.class、#id、div.class）")
                }
                selectors.append(selector)
            }
            switch key {
            case "title": title = selectors
            case "metadata": metadata = selectors
            case "body": body = selectors
            default: throw ImportProblem(line: number, "不认识的规则“\(key)”，可用 title、metadata、body")
            }
        }
    }
}

/// What was read from one old article page.
struct ExtractedPage: Equatable {
    var title: String
    /// `2020-04-30 09:17` or `2020-04-30`.
    var date: String
    var source: String?
    var author: String?
    var editor: String?
    /// Names from the breadcrumb after 首页 (`三服务专题`, `市县动态`).
    var breadcrumb: [String]
    /// Where the breadcrumb's names link to, by name (`市县动态` → `/col/col1229/index.html`).
    var breadcrumbLinks: [String: String] = [:]
    /// The body element.
    var body: HTMLElement
    /// Links to attachments outside the body, in a block that says 附件 (`href`, link text), in page order.
    var attachments: [(href: String, title: String)] = []

    static func == (lhs: ExtractedPage, rhs: ExtractedPage) -> Bool {
        (lhs.title, lhs.date, lhs.source, lhs.author, lhs.editor, lhs.breadcrumb)
            == (rhs.title, rhs.date, rhs.source, rhs.author, rhs.editor, rhs.breadcrumb)
            && lhs.attachments.map(\.title) == rhs.attachments.map(\.title)
    }
}

/// Reads an old page's parts by the rules. Pure: a parsed page in, the parts or the reason to skip out.
enum PageExtractor {
    enum Outcome {
        case article(ExtractedPage)
        /// Why the page is not an article, in Chinese.
        case skipped(String)
    }

    static func extract(_ root: HTMLElement, rules: ImportRules) -> Outcome {
        let all = root.descendants
        var meta: [String: String] = [:]
        for element in all where element.name == "meta" {
            if let name = element.attributes["name"]?.lowercased(), let content = element.attributes["content"] {
                meta[name] = meta[name] ?? content.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        let ordered = Ordered(root)
        let bodyIndex = rules.body.lazy.compactMap { selector in
            ordered.elements.firstIndex { selector.matches($0.element) }
        }.first
        let body = bodyIndex.map { ordered.elements[$0].element }
        let metaTitle = meta["articletitle"].flatMap { $0.isEmpty ? nil : $0 }
        guard let body else {
            return .skipped(metaTitle == nil ? "没有正文（列表页或其他页面）" : "有标题但找不到正文（可用 body 选择器指定）")
        }
        let visibleTitle = root.first(anyOf: rules.title).map { oneLine($0.text) }.flatMap { $0.isEmpty ? nil : $0 }
        let pageTitle = all.first { $0.name == "title" }.map { oneLine($0.text) }
        guard let title = metaTitle ?? visibleTitle ?? pageTitle.flatMap({ $0.isEmpty ? nil : $0 }) else {
            return .skipped("找不到标题")
        }
        // The visible line: in the metadata element when there is one, else anywhere on the page.
        let pageText = root.text
        let metadataText = root.first(anyOf: rules.metadata).map(\.text)
        let line = metadataText ?? pageText
        let date =
            meta["pubdate"].flatMap { findDate(in: $0) }
            ?? labelled(["发布日期", "发布时间", "日期"], in: line).flatMap { findDate(in: $0) }
            ?? metadataText.flatMap { findDate(in: $0) }
        guard let date else { return .skipped("找不到发布日期") }
        let source =
            meta["contentsource"].flatMap { $0.isEmpty ? nil : $0 } ?? labelled(["信息来源", "来源"], in: line)
        let trail = breadcrumb(all, title: title)
        return .article(
            ExtractedPage(
                title: title, date: date, source: source, author: labelled(["作者"], in: pageText),
                editor: labelled(["责任编辑"], in: pageText), breadcrumb: trail.names, breadcrumbLinks: trail.links,
                body: body, attachments: attachments(in: ordered, outside: bodyIndex!)))
    }

    /// A page's elements in document order, each with the index just past the elements inside it.
    struct Ordered {
        var elements: [(element: HTMLElement, end: Int)] = []

        init(_ root: HTMLElement) {
            enum Step {
                case visit(HTMLElement)
                case close(Int)
            }
            var stack = [Step.visit(root)]
            while let step = stack.popLast() {
                switch step {
                case .visit(let element):
                    stack.append(.close(elements.count))
                    elements.append((element, 0))
                    for child in element.children.reversed() {
                        if case .element(let inner) = child { stack.append(.visit(inner)) }
                    }
                case .close(let index): elements[index].end = elements.count
                }
            }
        }
    }

    /// File endings read as attachments when linked outside the body (the documents Lanmu lists as attachments).
    static let documentExtensions: Set<String> = [
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "ofd", "zip", "rar", "7z",
    ]

    /// Links to attachment files outside the body whose nearest block saying 附件 is not also around the body (a
    /// site-wide link in the footer is not an attachment of every article).
    static func attachments(in ordered: Ordered, outside body: Int) -> [(href: String, title: String)] {
        let bodyEnd = ordered.elements[body].end
        var found: [(href: String, title: String)] = []
        for (index, entry) in ordered.elements.enumerated() where entry.element.name == "a" {
            guard index < body || index >= bodyEnd, let href = entry.element.attributes["href"] else { continue }
            let path = href.prefix { $0 != "?" && $0 != "#" }
            guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/"),
                documentExtensions.contains(path[path.index(after: dot)...].lowercased())
            else { continue }
            // The enclosing elements, nearest first, up to the first one that also holds the body.
            var ancestor = index - 1
            while ancestor >= 0 {
                let candidate = ordered.elements[ancestor]
                if candidate.end > index {
                    if ancestor <= body && candidate.end >= bodyEnd { break }
                    if candidate.element.text.contains("附件") {
                        found.append((href, oneLine(entry.element.text)))
                        break
                    }
                }
                ancestor -= 1
            }
        }
        return found
    }

    /// Text on one line: runs of white space as one space, trimmed.
    static func oneLine(_ text: String) -> String {
        MarkdownWriter.collapse(text).trimmingCharacters(in: .whitespaces)
    }

    /// The value after the first of the labels (`信息来源：白石县退役军人事务局`): up to a line break, two spaces, an
    /// ideographic space or the next label.
    static func labelled(_ labels: [String], in text: String) -> String? {
        for label in labels {
            var searchFrom = text.startIndex
            while let range = text.range(of: label, range: searchFrom..<text.endIndex) {
                searchFrom = range.upperBound
                var rest = text[range.upperBound...].drop { $0 == " " || $0 == "\u{A0}" }
                guard let colon = rest.first, colon == "：" || colon == ":" else { continue }
                rest = rest.dropFirst().drop { $0 == " " || $0 == "\u{A0}" || $0 == "\u{3000}" }
                var value = ""
                var previousSpace = false
                for character in rest {
                    if character == "\n" || character == "\r" || character == "\t" || character == "\u{3000}"
                        || character == "【" || character == "|"
                    {
                        break
                    }
                    let isSpace = character == " " || character == "\u{A0}"
                    if isSpace && previousSpace { break }
                    previousSpace = isSpace
                    value.append(character)
                }
                for next in stopLabels where value.contains(next) {
                    value = String(value[..<value.range(of: next)!.lowerBound])
                }
                value = value.trimmingCharacters(in: .whitespaces)
                if !value.isEmpty { return value }
            }
        }
        return nil
    }

    private static let stopLabels = [
        "发布日期", "发布时间", "信息来源", "来源：", "来源:", "浏览次数", "点击数", "作者", "字号", "责任编辑",
    ]

    /// The first date in a text (`2020-04-30 09:17`, `2020/4/30`, `2020年4月30日 9:17`), as front matter writes it.
    static func findDate(in text: String) -> String? {
        let characters = Array(text)
        var index = 0
        func number(_ range: ClosedRange<Int>) -> Int? {
            var digits = 0
            var value = 0
            while index < characters.count, let digit = characters[index].wholeNumberValue, characters[index].isASCII {
                // A run of digits longer than a year is no part of a date; its value must not overflow.
                if digits < 4 { value = value * 10 + digit }
                digits += 1
                index += 1
            }
            return range.contains(digits) ? value : nil
        }
        while index < characters.count {
            let start = index
            guard characters[index].isASCII, characters[index].isNumber else {
                index += 1
                continue
            }
            if let year = number(4...4), (1980...2100).contains(year), index < characters.count,
                "-/.年".contains(characters[index])
            {
                index += 1
                if let month = number(1...2), (1...12).contains(month), index < characters.count,
                    "-/.月".contains(characters[index])
                {
                    index += 1
                    if let day = number(1...2), (1...daysIn(month, of: year)).contains(day) {
                        if index < characters.count, characters[index] == "日" { index += 1 }
                        var date = "\(year)-\(pad(month))-\(pad(day))"
                        while index < characters.count, characters[index] == " " || characters[index] == "\u{A0}" {
                            index += 1
                        }
                        let timeStart = index
                        if let hour = number(1...2), hour < 24, index < characters.count,
                            characters[index] == ":" || characters[index] == "：" || characters[index] == "时"
                        {
                            index += 1
                            if let minute = number(2...2), minute < 60 {
                                date += " \(pad(hour)):\(pad(minute))"
                            }
                        } else {
                            index = timeStart
                        }
                        return date
                    }
                }
            }
            index = max(index, start + 1)
        }
        return nil
    }

    /// The days of a month of the Gregorian calendar: a date the build would refuse is not taken for one.
    private static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func pad(_ number: Int) -> String { number < 10 ? "0\(number)" : String(number) }

    /// The breadcrumb's names after 首页, and where they link: from the innermost element whose text has 当前位置 (or
    /// 您现在的位置) and a `>`; a last name equal to the title or 正文 is the article itself and left out.
    static func breadcrumb(_ all: [HTMLElement], title: String) -> (names: [String], links: [String: String]) {
        let markers = ["当前位置", "您现在的位置", "您的位置", "所在位置"]
        let candidates = all.filter { element in
            guard !HTMLElement.invisible.contains(element.name) else { return false }
            let text = element.text
            return markers.contains { text.contains($0) } && text.contains(where: { ">›»".contains($0) })
        }
        guard let innermost = candidates.last else { return ([], [:]) }
        var text = oneLine(innermost.text)
        for marker in markers {
            if let range = text.range(of: marker) { text = String(text[range.upperBound...]) }
        }
        var names = text.split(whereSeparator: { ">›»".contains($0) }).map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: " ：:\u{3000}\u{A0}"))
        }.filter { !$0.isEmpty }
        if names.first == "首页" || names.first == "网站首页" { names.removeFirst() }
        if let last = names.last, last == title || last == "正文" || last == "详情" { names.removeLast() }
        var links: [String: String] = [:]
        for link in innermost.descendants where link.name == "a" {
            guard let href = link.attributes["href"] else { continue }
            let name = oneLine(link.text)
            if names.contains(name), links[name] == nil { links[name] = href }
        }
        return (names, links)
    }
}
