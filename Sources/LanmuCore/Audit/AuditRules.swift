/// The inspection's rules as `lanmu audit` applies them: how long each kind of column may go without a new article,
/// when a count of stale or blank columns vetoes the site, and what a broken link costs. The defaults follow the
/// national indicators (政府网站与政务新媒体检查指标, 国办秘函〔2019〕19号, and the 全国政府网站普查评分表 before it);
/// a site changes them in `content/_index.md`.
public struct AuditRules: Sendable, Equatable {
    /// Days within which each kind of column must publish; nil: no window (专题 are finished when they finish).
    public var windows: [String: Int?] = Self.defaultWindows
    /// This many columns not updated within their windows vetoes the site (单项否决); one fewer is a warning.
    public var staleColumnsVeto = 5
    /// This many blank columns (no published article) vetoes the site; one fewer is a warning.
    public var blankColumnsVeto = 5
    /// The home page's newest article may be at most this many days old.
    public var homeDays = 14
    /// A column (or the home page) due within this many days is a warning.
    public var warningDays = 3
    /// Points deducted for each broken link on the home page, and on any other page.
    public var homeLinkPoints = 1.0
    public var otherLinkPoints = 0.1

    /// 动态 and 要闻 columns within two weeks, 通知公告 and 政策文件 within six months, 专题 none.
    public static let defaultWindows: [String: Int?] = ["动态": 14, "要闻": 14, "通知公告": 180, "政策文件": 180, "专题": nil]

    public init() {}

    static let keys = [
        "update_windows", "audit_stale_columns", "audit_blank_columns", "audit_home_days", "audit_warning_days",
        "audit_home_link_points", "audit_link_points",
    ]

    /// Reads the settings that change the rules, reporting unusable values.
    mutating func read(_ fields: inout FrontMatterFields) {
        if fields.contains("update_windows") {
            let location = fields.location(ofValue: "update_windows")
            for entry in fields.strings("update_windows") ?? [] {
                let parts = entry.split(whereSeparator: { $0 == " " || $0 == "：" || $0 == ":" || $0 == "\u{3000}" })
                guard parts.count == 2, let days = Int(parts[1]), days >= 0 else {
                    fields.report(
                        Diagnostic(
                            .invalidSetting, at: location, "update_windows 的一项“\(entry)”应是“栏目类型 天数”",
                            hint: "每项一行，例如 - 动态 14；天数写 0 表示这类栏目不要求更新"))
                    continue
                }
                windows[String(parts[0])] = days == 0 ? Int?.none : days
            }
        }
        let counts: [(String, WritableKeyPath<AuditRules, Int>)] = [
            ("audit_stale_columns", \.staleColumnsVeto), ("audit_blank_columns", \.blankColumnsVeto),
            ("audit_home_days", \.homeDays), ("audit_warning_days", \.warningDays),
        ]
        for (key, path) in counts {
            if let value = SiteSettings.positive(key, in: &fields) { self[keyPath: path] = value }
        }
        let points: [(String, WritableKeyPath<AuditRules, Double>)] = [
            ("audit_home_link_points", \.homeLinkPoints), ("audit_link_points", \.otherLinkPoints),
        ]
        for (key, path) in points {
            guard let text = fields.string(key) else { continue }
            guard let value = Double(text), value >= 0, value.isFinite else {
                fields.report(
                    Diagnostic(
                        .invalidSetting, at: fields.location(ofValue: key), "\(key) 应是不小于 0 的数，这里是“\(text)”",
                        hint: "例如 \(key): 0.5"))
                continue
            }
            self[keyPath: path] = value
        }
    }

    /// The window of a column: its own `update_days`, else its kind's; nil when it has none.
    func window(of section: Section) -> Int? {
        if let days = section.updateDays { return days }
        guard let kind = section.kind else { return nil }
        return windows[kind] ?? nil
    }
}
