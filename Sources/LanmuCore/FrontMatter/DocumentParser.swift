/// Turns the bytes of one content file into its model value: decode, split, read the front matter and, for
/// articles, render the body. Pure: no disk.
struct DocumentParser: Sendable {
    let settings: SiteSettings
    let renderer: MarkdownRenderer
    /// The site's word table when site search is on: each article's search record is made as it is read.
    var searchWords: SearchWords? = nil

    /// Reads the site settings from `content/_index.md`.
    static func settings(from bytes: [UInt8], file: String) -> (SiteSettings, [Diagnostic]) {
        switch fields(from: bytes, file: file) {
        case .failure(let diagnostic): return (SiteSettings(), [diagnostic])
        case .success(var fields):
            let settings = SiteSettings(reading: &fields)
            return (settings, fields.diagnostics)
        }
    }

    /// Reads a section's `_index.md`.
    func section(from bytes: [UInt8], segments: [String], file: String, revision: Int = 0) -> (
        ParsedSection?, [Diagnostic]
    ) {
        switch Self.fields(from: bytes, file: file) {
        case .failure(let diagnostic): return (nil, [diagnostic])
        case .success(var fields):
            let frontMatter = SectionFrontMatter.read(&fields, file: file)
            let section = frontMatter.map {
                ParsedSection(segments: segments, file: file, frontMatter: $0, revision: revision)
            }
            return (section, fields.diagnostics)
        }
    }

    /// Reads an article and renders its body; where the body goes next is the read loop's choice (`BodyStore`).
    func article(from bytes: [UInt8], contentPath: String, file: String, revision: Int = 0) -> (
        ArticleDocument?, [Diagnostic]
    ) {
        let (document, _, diagnostics) = read(bytes, contentPath: contentPath, file: file, revision: revision)
        return (document, diagnostics)
    }

    /// `article(from:…)`, and when the front matter has an error after all, the body's links and images, to be
    /// checked against the site all the same.
    func read(_ bytes: [UInt8], contentPath: String, file: String, revision: Int = 0) -> (
        ArticleDocument?, LinksToCheck?, [Diagnostic]
    ) {
        let document: SplitDocument
        switch Self.split(bytes, file: file) {
        case .failure(let diagnostic): return (nil, nil, [diagnostic])
        case .success(let split): document = split
        }
        // A YAML error leaves the body as it is: it is rendered and its problems reported with the YAML's.
        var frontMatter: ArticleFrontMatter?
        var diagnostics: [Diagnostic]
        switch FrontMatterFields.parse(document, file: file) {
        case .failure(let diagnostic):
            diagnostics = [diagnostic]
        case .success(var fields):
            frontMatter = ArticleFrontMatter.read(&fields, settings: settings, file: file)
            diagnostics = fields.diagnostics
        }
        let directory = Array(TextScan.pathSegments(contentPath).dropLast())
        let rendered = renderer.render(document.body, directory: directory)
        func inFile(_ position: MarkdownRenderer.Position) -> Diagnostic.Location {
            .init(file: file, line: position.line + document.bodyFirstLine - 1, column: position.column)
        }
        diagnostics += rendered.droppedHTML.map {
            Diagnostic(
                .rawHTMLDropped, at: inFile($0), "正文里的 HTML 代码没有输出（站点没有开启 raw_html）",
                hint: "改用 Markdown 写法；确实需要 HTML 时，在 content/_index.md 里设置 raw_html: true")
        }
        diagnostics += rendered.imagesWithoutAlt.map {
            Diagnostic(
                .imageWithoutAlt, at: inFile($0), "图片没有替代文字，读屏软件无法告诉视障读者图上是什么",
                hint: "在方括号里写上图片说明，例如 ![招聘会现场](zhaopinhui.jpg)")
        }
        guard let frontMatter else {
            let links = LinksToCheck(
                file: file, bodyFirstLine: document.bodyFirstLine, references: rendered.references,
                headingIDs: rendered.headingIDs)
            return (nil, rendered.references.isEmpty ? nil : links, diagnostics)
        }
        var article = ArticleDocument(
            contentPath: contentPath, file: file, frontMatter: frontMatter, rendered: rendered, settings: settings,
            revision: revision, bodyFirstLine: document.bodyFirstLine)
        if searchWords != nil {
            article.search = searchRecord(frontMatter, text: rendered.plainText ?? "")
            article.rendered.plainText = nil
        }
        return (article, nil, diagnostics)
    }

    /// The article's part of the search index, made from its body's text (nil when search is off).
    func searchRecord(_ frontMatter: ArticleFrontMatter, text: String) -> SearchRecord? {
        guard let searchWords else { return nil }
        return SearchRecord.make(
            title: frontMatter.title, source: frontMatter.source ?? settings.defaultSource ?? settings.siteName,
            body: text, words: searchWords)
    }

    private static func split(_ bytes: [UInt8], file: String) -> Result<SplitDocument, Diagnostic> {
        TextDecoding.decode(bytes, file: file).flatMap { FrontMatterSplitter.split($0, file: file) }
    }

    private static func fields(from bytes: [UInt8], file: String) -> Result<FrontMatterFields, Diagnostic> {
        split(bytes, file: file).flatMap { FrontMatterFields.parse($0, file: file) }
    }
}
