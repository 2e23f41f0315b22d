import Foundation
import LanmuCore

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
    /// 政务公开 fields found outside the body, as front matter keys and values in `PageExtractor.information`'s
    /// order (`index_no` → `11330000002482162P/2020-00012`, `written_date` → `2020-04-28`).
    var information: [(key: String, value: String)] = []
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
            && lhs.information.map { $0.key + "=" + $0.value } == rhs.information.map { $0.key + "=" + $0.value }
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

    /// Why a page without a body (a list page, the home page) is skipped.
    static let noBody = "没有正文（列表页或其他页面）"

    static func extract(_ root: HTMLElement, rules: ImportRules) -> Outcome {
        let page = PageIndex(root)
        var meta: [String: String] = [:]
        var pageTitle: String?
        for entry in page.elements {
            let element = entry.element
            if element.name == "meta", let name = element.attributes["name"]?.lowercased(),
                let content = element.attributes["content"]
            {
                meta[name] = meta[name] ?? content.trimmingCharacters(in: .whitespacesAndNewlines)
            } else if element.name == "title", pageTitle == nil {
                // `<title>` is hidden text, so not in the page's text: its own text nodes.
                pageTitle = titleFromPageTitle(
                    element.children.map { if case .text(let run) = $0 { run } else { "" } }.joined())
            }
        }
        let bodyIndex = page.first(anyOf: rules.body)
        let metaTitle = meta["articletitle"].flatMap { $0.isEmpty ? nil : $0 }
        guard let bodyIndex else {
            return .skipped(metaTitle == nil ? noBody : "有标题但找不到正文（可用 body 选择器指定）")
        }
        let visibleTitle = page.first(anyOf: rules.title).map { oneLine(page.text(of: $0)) }.flatMap {
            $0.isEmpty ? nil : $0
        }
        guard let title = metaTitle ?? visibleTitle ?? pageTitle else { return .skipped("找不到标题") }
        // The visible line: in the metadata element when there is one, else anywhere on the page.
        let pageText = page.text(of: 0)
        let metadataText = page.first(anyOf: rules.metadata).map { page.text(of: $0) }
        let line = metadataText ?? pageText
        let date =
            meta["pubdate"].flatMap { findDate(in: $0) }
            ?? labelled(["发布日期", "发布时间", "日期"], in: line).flatMap { findDate(in: $0) }
            ?? metadataText.flatMap { findDate(in: $0) }
        guard let date else { return .skipped("找不到发布日期") }
        let source =
            meta["contentsource"].flatMap { $0.isEmpty ? nil : $0 } ?? labelled(["信息来源", "来源"], in: line)
        let trail = breadcrumb(page, title: title)
        return .article(
            ExtractedPage(
                title: title, date: date, source: source, author: labelled(["作者"], in: pageText),
                editor: labelled(["责任编辑"], in: pageText), information: information(in: page, outside: bodyIndex),
                breadcrumb: trail.names, breadcrumbLinks: trail.links, body: page.elements[bodyIndex].element,
                attachments: attachments(in: page, outside: bodyIndex)))
    }

    /// A page's `<title>` as an article title: the part before the column and site names that CMSs add
    /// (`标题_市县动态_青禾市退役军人事务局`, `标题 - 青禾市人民政府`); nil when empty.
    static func titleFromPageTitle(_ text: String) -> String? {
        var title = oneLine(text)
        for separator in ["_", " - ", " | ", "｜", " — "] {
            if let range = title.range(of: separator), !title[..<range.lowerBound].allSatisfy(\.isWhitespace) {
                title = String(title[..<range.lowerBound])
            }
        }
        title = title.trimmingCharacters(in: .whitespaces)
        return title.isEmpty ? nil : title
    }

    /// File endings read as attachments when linked outside the body (the documents Lanmu lists as attachments).
    static let documentExtensions: Set<String> = [
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "ofd", "zip", "rar", "7z",
    ]

    /// Links to attachment files outside the body whose nearest block saying 附件 is not also around the body (a
    /// site-wide link in the footer is not an attachment of every article).
    static func attachments(in page: PageIndex, outside body: Int) -> [(href: String, title: String)] {
        let bodyEnd = page.elements[body].end
        let word = page.occurrences(of: "附件")
        var found: [(href: String, title: String)] = []
        for (index, entry) in page.elements.enumerated() where entry.element.name == "a" {
            guard index < body || index >= bodyEnd, let href = entry.element.attributes["href"] else { continue }
            let path = href.prefix { $0 != "?" && $0 != "#" }
            guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/"),
                documentExtensions.contains(path[path.index(after: dot)...].lowercased())
            else { continue }
            // The enclosing elements, nearest first, up to the first one that also holds the body.
            var ancestor = entry.parent
            while let current = ancestor, !(current <= body && page.elements[current].end >= bodyEnd) {
                if word.any(within: page.elements[current].text) {
                    found.append((href, oneLine(page.text(of: index))))
                    break
                }
                ancestor = page.elements[current].parent
            }
        }
        return found
    }

    /// The 政务公开 fields and the labels that name them on old pages, in the order front matter lists them.
    static let informationLabels: [(key: String, labels: [String])] = [
        ("index_no", ["索引号"]),
        ("issuer", ["发布机构", "发文机关", "发文单位", "发布单位"]),
        ("written_date", ["成文日期", "成文时间", "发文日期"]),
        ("doc_no", ["文号", "发文字号"]),
        ("topic", ["主题分类"]),
        ("validity", ["有效性", "效力状态"]),
    ]

    /// The 政务公开 fields of the table or lines outside the body (usually above it): a cell that says only the label
    /// (`<th>索　引　号</th>`, `<td>文号：</td>`) with the value in the next cell, or a line `索引号：…`. A 成文日期 that
    /// is not a date is left out.
    static func information(in page: PageIndex, outside body: Int) -> [(key: String, value: String)] {
        let bodyRange = body..<page.elements[body].end
        var values: [String: String] = [:]
        var labelKeys: [String: String] = [:]
        for (key, labels) in informationLabels { for label in labels { labelKeys[label] = key } }
        func normalized(_ text: String) -> String {
            var label = text.filter { !$0.isWhitespace }
            while label.hasSuffix("：") || label.hasSuffix(":") { label.removeLast() }
            return label
        }
        var index = 0
        while index < page.elements.count {
            let entry = page.elements[index]
            if bodyRange.contains(index) || entry.text.count > 60 {
                index = bodyRange.contains(index) ? bodyRange.upperBound : index + 1
                continue
            }
            guard let key = labelKeys[normalized(page.text(of: index))] else {
                index += 1
                continue
            }
            let next = entry.end
            if values[key] == nil, next < page.elements.count, !bodyRange.contains(next),
                page.elements[next].parent == entry.parent
            {
                let value = oneLine(page.text(of: next))
                if !value.isEmpty, labelKeys[normalized(value)] == nil { values[key] = value }
            }
            index = entry.end
        }
        // Lines `索引号：…` outside the body.
        let outside =
            page.text(in: 0..<page.elements[body].text.lowerBound) + "\n"
            + page.text(in: page.elements[body].text.upperBound..<page.bytes.count)
        for (key, labels) in informationLabels where values[key] == nil {
            values[key] = labelled(labels, in: outside)
        }
        if let written = values["written_date"] { values["written_date"] = findDate(in: written) }
        return informationLabels.compactMap { entry -> (key: String, value: String)? in
            values[entry.key].map { (key: entry.key, value: $0) }
        }
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

    private static let stopLabels =
        ["发布日期", "发布时间", "信息来源", "来源：", "来源:", "浏览次数", "点击数", "作者", "字号", "责任编辑"]
        + informationLabels.flatMap { $0.labels }

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
    static func breadcrumb(_ page: PageIndex, title: String) -> (names: [String], links: [String: String]) {
        let markers = ["当前位置", "您现在的位置", "您的位置", "所在位置"]
        let found = markers.map { page.occurrences(of: $0) }
        let separators = [">", "›", "»"].map { page.occurrences(of: $0) }
        // The last such element in page order is the innermost of the last breadcrumb.
        guard
            let innermost = page.elements.indices.last(where: { index in
                let text = page.elements[index].text
                return found.contains { $0.any(within: text) } && separators.contains { $0.any(within: text) }
            })
        else { return ([], [:]) }
        var text = oneLine(page.text(of: innermost))
        for marker in markers {
            if let range = text.range(of: marker) { text = String(text[range.upperBound...]) }
        }
        var names = text.split(whereSeparator: { ">›»".contains($0) }).map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: " ：:\u{3000}\u{A0}"))
        }.filter { !$0.isEmpty }
        if names.first == "首页" || names.first == "网站首页" { names.removeFirst() }
        if let last = names.last, last == title || last == "正文" || last == "详情" { names.removeLast() }
        var links: [String: String] = [:]
        for index in innermost..<page.elements[innermost].end where page.elements[index].element.name == "a" {
            guard let href = page.elements[index].element.attributes["href"] else { continue }
            let name = oneLine(page.text(of: index))
            if names.contains(name), links[name] == nil { links[name] = href }
        }
        return (names, links)
    }
}
