// libFuzzer targets for the parts that read editors' bytes. Built by .ci/fuzz with
// `swiftc -sanitize=fuzzer,address` together with LanmuCore's files, Yams and swift-mustache; the target is chosen by
// LANMU_FUZZ_TARGET (splitter, frontmatter, yaml, date, slug, link, markdown, decode, template, importpage; the last
// also with LanmuImport's files and gumbo). Each checks invariants, not just
// "no crash".
import Foundation
import Yams

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: bytes, as: UTF8.self)
    switch ProcessInfo.processInfo.environment["LANMU_FUZZ_TARGET"] ?? "" {
    case "splitter": fuzzSplitter(text)
    case "frontmatter": fuzzFrontMatter(bytes)
    case "yaml": fuzzPlainYAML(text)
    case "date": fuzzDate(text)
    case "slug": fuzzSlug(text)
    case "link": fuzzLink(text)
    case "markdown": fuzzMarkdown(text)
    case "decode": fuzzDecode(bytes)
    case "template": fuzzTemplate(text)
    case "importpage": fuzzImportPage(bytes)
    default: fatalError("set LANMU_FUZZ_TARGET")
    }
    return 0
}

private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant broken: \(message())") }
}

private func fuzzSplitter(_ text: String) {
    let normalised = TextDecoding.normaliseLineEndings(text)
    guard case .success(let split) = FrontMatterSplitter.split(normalised, file: "a.md") else { return }
    let lines = normalised.split(separator: "\n", omittingEmptySubsequences: false).count
    check(split.bodyFirstLine >= 3 && split.bodyFirstLine <= lines + 1, "body line \(split.bodyFirstLine) of \(lines)")
    check(normalised.hasSuffix(split.body), "the body is the end of the file")
}

private let parser = DocumentParser(settings: SiteSettings(), renderer: MarkdownRenderer())

/// The whole path of an article, a section and the site settings from bytes to model values (decoding, splitting,
/// Yams, field checks, Markdown): every diagnostic points into the file, and a file without errors gives a value.
private func fuzzFrontMatter(_ bytes: [UInt8]) {
    let lines: Int
    switch TextDecoding.decode(bytes, file: "a.md") {
    case .success(let text): lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
    case .failure: lines = Int.max - 1
    }
    func checkPlaces(_ diagnostics: [Diagnostic], _ what: String) {
        for diagnostic in diagnostics {
            let place = diagnostic.location
            check(place.file == "a.md", "\(what): diagnostic names \(place.file)")
            check(place.line >= 1 && place.line <= lines + 1 && place.column >= 1, "\(what): \(diagnostic)")
            check(!diagnostic.message.isEmpty, "\(what): a diagnostic without a message")
        }
    }
    let (document, articleDiagnostics) = parser.article(from: bytes, contentPath: "sanfuwu/shixian/a.md", file: "a.md")
    checkPlaces(articleDiagnostics, "article")
    check(document != nil || articleDiagnostics.containsErrors, "no article, yet no error says why")
    if let article = document.map({ ParsedArticle($0, body: .kept) }) {
        check(!article.frontMatter.title.isEmpty, "an article without a title")
        check(article.outputPath.hasPrefix("sanfuwu/shixian/"), "\(article.outputPath) leaves its column")
    }
    let (section, sectionDiagnostics) = parser.section(from: bytes, segments: ["sanfuwu"], file: "a.md")
    checkPlaces(sectionDiagnostics, "section")
    check(section != nil || sectionDiagnostics.containsErrors, "no section, yet no error says why")
    checkPlaces(DocumentParser.settings(from: bytes, file: "a.md").1, "settings")
}

/// Whatever the plain front matter reader reads, Yams reads to the same keys, places and values.
private func fuzzPlainYAML(_ text: String) {
    guard let plain = PlainFrontMatter.parse(text) else { return }
    guard let root = try? Parser(yaml: text, resolver: .basic, encoding: .utf8).singleRoot(),
        case .mapping(let mapping) = root
    else { return check(false, "Yams refuses what the plain reader read: \(text.debugDescription)") }
    check(plain.map(\.key) == mapping.map { $0.key.scalar?.string ?? "" }, "keys of \(text.debugDescription)")
    check(
        plain.map(\.keyPlace) == mapping.map { FrontMatterValue.place(of: $0.key) },
        "key places of \(text.debugDescription)")
    check(plain.map(\.value) == mapping.map { FrontMatterValue($0.value) }, "values of \(text.debugDescription)")
}

private let shanghai = TimeZone(identifier: "Asia/Shanghai")!

private func fuzzDate(_ text: String) {
    guard case .success(let date) = DateParser.parse(text, in: shanghai) else { return }
    let iso = DateFormat.iso8601(date, in: shanghai)
    guard case .success(let again) = DateParser.parse(iso, in: shanghai) else {
        return check(false, "\(iso) does not parse back")
    }
    check(again == date, "\(text) → \(iso) → \(again.secondsSince1970) ≠ \(date.secondsSince1970)")
}

private func fuzzSlug(_ text: String) {
    guard URLPath.problem(with: text) == nil else { return }
    let encoded = URLPath.encode(text)
    check(encoded.utf8.allSatisfy { $0 < 0x80 && $0 != 0x2F && $0 != 0x5C }, "encoded \(encoded) has / \\ or non-ASCII")
    let file = URLPath.indexFile(["a", text])
    check(file.utf8.split(separator: 0x2F).count == 3, "\(file) stays one folder deep")
    check(text != "." && text != ".." && !text.hasSuffix(".") && !text.hasSuffix(" "), "\(text) is a bad Windows name")
    check(!text.contains(where: { "<>:\"|?*".contains($0) }), "\(text) has a character Windows refuses")
}

private func fuzzLink(_ text: String) {
    switch LinkTarget.classify(text, directory: ["sanfuwu", "shixian"]) {
    case .file(let path, _):
        check(!path.hasPrefix("/") && !path.split(separator: "/").contains(".."), "\(path) leaves content/")
    case .article(let candidates, _):
        for path in candidates {
            check(!path.hasPrefix("/") && !path.split(separator: "/").contains(".."), "\(path) leaves content/")
        }
    case .external, .anchor:
        break
    }
}

private let renderer = MarkdownRenderer()

private func fuzzMarkdown(_ text: String) {
    guard text.utf8.count < 20_000 else { return }
    let rendered = renderer.render(text, directory: ["sanfuwu", "shixian"])
    check(String(validating: Array(rendered.html.utf8), as: UTF8.self) != nil, "HTML is UTF-8")
    check(rendered.headingIDs.count == Set(rendered.headingIDs).count, "heading ids are unique")
    let plain = MarkdownRenderer(options: .init(cjkEmphasis: false, headingIDs: false))
    if !text.unicodeScalars.contains(where: CJKEmphasis.isCJK) {
        check(
            rendered.html.replacingOccurrences(of: #" id="[^"]*""#, with: "", options: .regularExpression)
                == plain.render(text, directory: ["sanfuwu", "shixian"]).html, "without CJK, output is cmark's")
    }
}

private func fuzzDecode(_ bytes: [UInt8]) {
    let wellFormed = bytes.withUnsafeBufferPointer { UTF8Text.isWellFormed($0) }
    check(wellFormed == (String(validating: bytes, as: UTF8.self) != nil), "the fast UTF-8 check is the library's")
    switch TextDecoding.decode(bytes, file: "a.md") {
    case .success(let text):
        check(!text.utf8.contains(13) && !text.utf8.contains(0), "line endings normalised, no NUL")
        check(String(validating: Array(text.utf8), as: UTF8.self) != nil, "decoded text is UTF-8")
    case .failure(let diagnostic):
        check(diagnostic.location.line >= 1 && diagnostic.location.column >= 1, "a place in the file")
    }
}

/// An old page for `lanmu import`: decoded, parsed by gumbo, read and written as Markdown without crashing, and every
/// character of the body's text (scalars, white space aside) is in the Markdown, in order.
private func fuzzImportPage(_ bytes: [UInt8]) {
    guard let decoded = PageDecoding.decode(bytes) else { return }
    let root = HTMLDocument.parse(decoded.text)
    var body = root
    if case .article(let page) = PageExtractor.extract(root, rules: ImportRules()) { body = page.body }
    let markdown = MarkdownWriter().markdown(of: body).unicodeScalars
    var remaining = markdown[...]
    for scalar in body.text.unicodeScalars where !scalar.properties.isWhitespace {
        guard let found = remaining.firstIndex(of: scalar) else {
            check(
                false, "U+\(String(scalar.value, radix: 16)) of the body is not in the Markdown:\n\(String(markdown))")
            return
        }
        remaining = remaining[markdown.index(after: found)...]
    }
}

/// Template text as a partial the home page includes and as the list template, beside a partial that includes the
/// first back: the check (syntax, names, cycles, nesting) puts every diagnostic inside a template's lines, gives a
/// library exactly when there is no error, and a checked library renders without crashing or recursing for good.
private func fuzzTemplate(_ text: String) {
    let sources = [
        "home": "{{> partials/a}}", "list": text, "article": "{{article.title}}", "partials/a": text,
        "partials/b": "{{> partials/a}}",
    ]
    let (library, diagnostics) = TemplateLibrary.make(sources: sources) { "templates/\($0).mustache" }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
    // swift-mustache counts every Unicode line break (a lone \r, U+2028…) as a line in its syntax errors (E009);
    // a known fault, so only Lanmu's own template diagnostics are held to the file's lines here.
    let breaks = text.unicodeScalars.count { $0.properties.isWhitespace && $0 != " " && $0 != "\t" }
    for diagnostic in diagnostics {
        let place = diagnostic.location
        check(place.file.hasPrefix("templates/") && place.file.hasSuffix(".mustache"), "names \(place.file)")
        let lastLine = diagnostic.code == .templateSyntax ? breaks + 2 : lines + 1
        check(place.line >= 1 && place.line <= lastLine && place.column >= 1, "\(diagnostic)")
    }
    check((library == nil) == diagnostics.containsErrors, "a library exactly when there is no error")
    guard let library else { return }
    let context: [String: Any] = [
        "page": ["title": "题", "is_home": true] as [String: Any], "site": ["name": "站"],
        "articles": [["title": "甲"], ["title": "乙"]],
    ]
    _ = library.renderDirectly(context, withTemplate: "home")
    _ = library.renderDirectly(context, withTemplate: "list")
}
