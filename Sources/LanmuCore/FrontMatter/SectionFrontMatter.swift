/// The front matter of a section's `_index.md` (a topic such as 三服务专题 or a column such as 市县动态).
struct SectionFrontMatter: Sendable, Equatable {
    var title: String
    /// Order in navigation and on the home page: lower first, then by folder name.
    var weight: Int?
    /// Articles per list page, overriding the site's `paginate`.
    var paginate: Int?
    var description: String?
    /// What kind of column it is for the inspection (`lanmu audit`): 动态, 要闻, 通知公告, 政策文件, 专题, or a kind
    /// the site's `update_windows` adds; with where it was written.
    var kind: String?
    var kindLocation: Diagnostic.Location?
    /// Days within which the column must publish, overriding its kind's window.
    var updateDays: Int?
    /// `keywords`: the column's keywords for the page metadata (`ColumnKeywords`).
    var keywords: [String] = []
    /// Where `index_no: auto` was written: the column's articles get generated 索引号 (`IndexNumbers`).
    var autoIndexNumbers: Diagnostic.Location?

    static let keys = ["title", "weight", "paginate", "description", "kind", "update_days", "keywords", "index_no"]

    /// Reads a section's fields; nil when the title is missing (reported).
    static func read(_ fields: inout FrontMatterFields, file: String) -> SectionFrontMatter? {
        let title = fields.string("title")
        let weight = fields.int("weight")
        let paginate = SiteSettings.positive("paginate", in: &fields)
        let description = fields.string("description")
        let kindLocation = fields.contains("kind") ? fields.location(ofValue: "kind") : nil
        let kind = fields.string("kind")
        let updateDays = SiteSettings.positive("update_days", in: &fields)
        let keywords = fields.strings("keywords") ?? []
        var autoIndexNumbers: Diagnostic.Location?
        if let value = fields.string("index_no") {
            if value == "auto" {
                autoIndexNumbers = fields.location(ofValue: "index_no")
            } else {
                fields.report(
                    Diagnostic(
                        .invalidSetting, at: fields.location(ofValue: "index_no"),
                        "栏目的 index_no 只能写 auto（自动生成索引号），这里是“\(value)”",
                        hint: "写 index_no: auto；某篇文章自己的索引号写在那篇文章的 front matter 里"))
            }
        }
        fields.warnAboutUnknownKeys(known: keys, kind: "栏目（_index.md）")
        guard let title else {
            fields.report(
                Diagnostic(
                    .missingField, at: fields.location(ofKey: "title"), "栏目缺少 title（栏目名称）",
                    hint: "在 front matter 里加一行，例如 title: 市县动态"))
            return nil
        }
        return SectionFrontMatter(
            title: title, weight: weight, paginate: paginate, description: description, kind: kind,
            kindLocation: kind == nil ? nil : kindLocation, updateDays: updateDays, keywords: keywords,
            autoIndexNumbers: autoIndexNumbers)
    }
}
