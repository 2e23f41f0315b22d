/// The 政务公开 fields of an article (索引号, 发布机构, 成文日期, 文号, 主题分类, 有效性): when an article has any of them,
/// its page shows the information table above the title.
struct PublicInformation: Sendable, Equatable {
    /// `index_no`: 索引号, as written (a column with `index_no: auto` generates one for articles without it).
    var indexNumber: String?
    /// `issuer`: 发布机构.
    var issuer: String?
    /// `written_date`: 成文日期, read like `date`.
    var writtenDate: PublishDate?
    /// `doc_no`: 文号, e.g. 浙退役军人〔2020〕12号.
    var documentNumber: String?
    /// `topic`: 主题分类.
    var topic: String?
    /// `validity`: 有效性 (有效, 失效, 废止…).
    var validity: String?

    static let keys = ["index_no", "issuer", "written_date", "doc_no", "topic", "validity"]

    /// Whether any field is set.
    var isEmpty: Bool { self == PublicInformation() }

    /// Reads the fields; a wrong type or an unusable date is reported at its place.
    static func read(_ fields: inout FrontMatterFields, settings: SiteSettings) -> PublicInformation {
        var information = PublicInformation()
        information.indexNumber = fields.string("index_no")
        information.issuer = fields.string("issuer")
        if let text = fields.string("written_date") {
            switch DateParser.parse(text, in: settings.timeZone) {
            case .success(let date): information.writtenDate = date
            case .failure(.unrecognised):
                fields.report(
                    Diagnostic(
                        .invalidDate, at: fields.location(ofValue: "written_date"), "无法识别的成文日期“\(text)”",
                        hint: "可以写成：\(DateParser.acceptedForms)"))
            case .failure(.impossible(let reason)):
                fields.report(
                    Diagnostic(
                        .invalidDate, at: fields.location(ofValue: "written_date"), "成文日期“\(text)”不存在：\(reason)",
                        hint: "改成文件实际的成文日期，例如 written_date: 2020-04-28"))
            }
        }
        information.documentNumber = fields.string("doc_no")
        information.topic = fields.string("topic")
        information.validity = fields.string("validity")
        return information
    }
}
