/// The front matter of an article.
struct ArticleFrontMatter: Sendable, Equatable {
    var title: String
    var date: PublishDate
    var source: String?
    var author: String?
    var editor: String?
    var summary: String?
    var tags: [String]
    var slug: String?
    var slugLocation: Diagnostic.Location?
    var draft: Bool
    var pinned: Bool
    /// 政务公开 fields (索引号, 发布机构, 成文日期, 文号, 主题分类, 有效性).
    var information = PublicInformation()
    /// Files named in `attachments:`.
    var attachments: [AttachmentReference] = []

    static let keys =
        [
            "title", "date", "source", "author", "editor", "summary", "tags", "slug", "draft", "pinned", "attachments",
        ] + PublicInformation.keys

    /// Reads an article's fields; nil when a required field is missing or unusable (reported).
    static func read(_ fields: inout FrontMatterFields, settings: SiteSettings, file: String) -> ArticleFrontMatter? {
        // A title of spaces (`title: "  "`) is no title.
        let title = fields.string("title").flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
        let dateText = fields.string("date")
        let source = fields.string("source")
        let author = fields.string("author")
        let editor = fields.string("editor")
        let summary = fields.string("summary")
        let tags = fields.strings("tags") ?? []
        let slug = fields.string("slug")
        let draft = fields.bool("draft") ?? false
        let pinned = fields.bool("pinned") ?? false
        let information = PublicInformation.read(&fields, settings: settings)
        let attachments = Attachments.read(&fields)
        fields.warnAboutUnknownKeys(known: keys, kind: "文章")

        if title == nil {
            fields.report(
                Diagnostic(
                    .missingField, at: fields.location(ofKey: "title"), "文章缺少 title（标题）",
                    hint: "在 front matter 里加一行，例如 title: 交流面对面，服务心连心"))
        }
        var date: PublishDate?
        if let dateText {
            switch DateParser.parse(dateText, in: settings.timeZone) {
            case .success(let parsed): date = parsed
            case .failure(.unrecognised):
                fields.report(
                    Diagnostic(
                        .invalidDate, at: fields.location(ofValue: "date"), "无法识别的日期“\(dateText)”",
                        hint: "可以写成：\(DateParser.acceptedForms)（不写时区时按 \(settings.timeZoneName) 时间）"))
            case .failure(.impossible(let reason)):
                fields.report(
                    Diagnostic(
                        .invalidDate, at: fields.location(ofValue: "date"), "日期“\(dateText)”不存在：\(reason)",
                        hint: "改成实际的发布日期，例如 2020-04-30 09:17"))
            }
        } else if !fields.contains("date") {
            fields.report(
                Diagnostic(
                    .missingField, at: fields.location(ofKey: "date"), "文章缺少 date（发布日期）",
                    hint: "在 front matter 里加一行，例如 date: 2020-04-30 09:17"))
        } else if fields.holdsScalar("date") {
            fields.report(
                Diagnostic(
                    .missingField, at: fields.location(ofKey: "date"), "date（发布日期）是空的",
                    hint: "写上发布日期，例如 date: 2020-04-30 09:17"))
        }
        guard let title, let date else { return nil }
        return ArticleFrontMatter(
            title: title, date: date, source: source, author: author, editor: editor, summary: summary, tags: tags,
            slug: slug, slugLocation: slug == nil ? nil : fields.location(ofValue: "slug"), draft: draft,
            pinned: pinned,
            information: information, attachments: attachments)
    }
}
