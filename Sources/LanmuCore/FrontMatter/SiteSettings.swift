import Foundation

/// The site settings, read from the front matter of `content/_index.md`; every one has a default.
public struct SiteSettings: Sendable {
    /// `site_name`: shown in the header band and in every `<title>`.
    public var siteName = "栏目网站"
    /// `title` of the home page: the first breadcrumb and navigation entry.
    public var homeTitle = "首页"
    /// `description`: the home page's `<meta name="description">` and the feeds' channel description.
    public var description = ""
    /// `base_url`: the address the site is served from, for absolute URLs in feeds and the site map.
    public var baseURL: String?
    /// `language`: the `lang` of every page.
    public var language = "zh-CN"
    /// `timezone`: the zone of dates without an offset and of every date shown.
    public var timeZone = TimeZone(identifier: "Asia/Shanghai")!
    /// `date_format`: the 发布日期 on article pages.
    var dateFormat = DateFormat("yyyy-MM-dd HH:mm")!
    /// `list_date_format`: dates on list pages and the home page.
    var listDateFormat = DateFormat("yyyy-MM-dd")!
    /// `default_source`: 信息来源 of articles that name none (the site name when unset).
    public var defaultSource: String?
    /// `paginate`: articles per list page.
    public var paginate = 20
    /// `summary_length`: characters of an automatic summary (before it is cut at a sentence mark).
    public var summaryLength = 120
    /// `home_items`: newest articles shown per column on the home page.
    public var homeItems = 8
    /// `feed_items`: articles per RSS feed.
    public var feedItems = 20
    /// `raw_html`: pass raw HTML in Markdown through instead of dropping it.
    public var rawHTML = false
    /// `cjk_emphasis`: apply the CJK-friendly emphasis amendments (`**注重。**周` is bold).
    public var cjkEmphasis = true
    /// `search`: site search (the index under `search/`, the results page, the header's search box).
    public var search = true
    /// `counter_url`: the view counter's address; the default theme's script asks it for each article's count.
    public var counterURL: String?
    /// `counter_placeholder`: the text shown where the view count goes until a counter fills it in.
    public var counterPlaceholder = "--"
    /// View counts by article id written into the pages (`lanmu build --counts FILE`); not a front matter key.
    public var bakedCounts: [String: Int]?
    /// `organizer`, `address`, `phone`, `site_code`, `icp`, `police_record`: the footer lines.
    public var organizer: String?
    public var address: String?
    public var phone: String?
    public var siteCode: String?
    public var icp: String?
    public var policeRecord: String?
    /// The inspection's rules for `lanmu audit` (column windows, veto thresholds, link deductions).
    public var audit = AuditRules()
    /// 党政机关标识, 承办单位, the code of generated 索引号, 哀悼日.
    public var government = GovernmentSettings()

    /// The default settings.
    public init() {}

    static let keys =
        [
            "title", "site_name", "description", "base_url", "language", "timezone", "date_format", "list_date_format",
            "default_source", "paginate", "summary_length", "home_items", "feed_items", "raw_html", "cjk_emphasis",
            "search", "counter_url",
            "counter_placeholder",
            "organizer", "address", "phone", "site_code", "icp", "police_record",
        ] + AuditRules.keys + GovernmentSettings.keys

    /// Reads the settings from the home page's front matter, reporting unusable values.
    init(reading fields: inout FrontMatterFields) {
        if let value = fields.string("title") { homeTitle = value }
        if let value = fields.string("site_name") { siteName = value }
        if let value = fields.string("description") { description = value }
        if let value = fields.string("base_url") {
            if value.hasPrefix("http://") || value.hasPrefix("https://") {
                baseURL = value.hasSuffix("/") ? String(value.dropLast()) : value
            } else {
                fields.report(
                    Diagnostic(
                        .invalidSetting, at: fields.location(ofValue: "base_url"), "base_url 应以 http:// 或 https:// 开头",
                        hint: "写网站的完整地址，例如 base_url: https://www.example.gov.cn"))
            }
        }
        if let value = fields.string("language") { language = value }
        if let value = fields.string("timezone") {
            if let zone = TimeZone(identifier: value) {
                timeZone = zone
            } else {
                fields.report(
                    Diagnostic(
                        .invalidSetting, at: fields.location(ofValue: "timezone"), "不认识的时区“\(value)”",
                        hint: "写 IANA 时区名，例如 timezone: Asia/Shanghai"))
            }
        }
        for (key, path) in [("date_format", \SiteSettings.dateFormat), ("list_date_format", \.listDateFormat)] {
            guard let value = fields.string(key) else { continue }
            if let format = DateFormat(value) {
                self[keyPath: path] = format
            } else {
                fields.report(
                    Diagnostic(
                        .invalidSetting, at: fields.location(ofValue: key), "日期格式“\(value)”无法使用",
                        hint: "用 yyyy（年）、MM 或 M（月）、dd 或 d（日）、HH（时）、mm（分）、ss（秒），例如 yyyy-MM-dd HH:mm"))
            }
        }
        defaultSource = fields.string("default_source")
        for (key, path) in [
            ("paginate", \SiteSettings.paginate), ("summary_length", \.summaryLength), ("home_items", \.homeItems),
            ("feed_items", \.feedItems),
        ] {
            if let value = Self.positive(key, in: &fields) { self[keyPath: path] = value }
        }
        if let value = fields.bool("raw_html") { rawHTML = value }
        if let value = fields.bool("cjk_emphasis") { cjkEmphasis = value }
        if !fields.holdsScalar("search") {
            if let value = fields.bool("search") { search = value }
        } else if let value = fields.string("search") {
            switch value.lowercased() {
            case "true", "yes", "on", "是": search = true
            case "false", "no", "off", "否": search = false
            default:
                fields.report(
                    Diagnostic(
                        .invalidSetting, at: fields.location(ofValue: "search"),
                        "search 只能是 true 或 false，这里是“\(value)”",
                        hint: "写 search: false 关闭站内搜索，或删掉这一行（默认开启）"))
            }
        }
        counterURL = fields.string("counter_url")
        if let value = fields.string("counter_placeholder") { counterPlaceholder = value }
        organizer = fields.string("organizer")
        address = fields.string("address")
        phone = fields.string("phone")
        if let value = fields.string("site_code") {
            if GovernmentSettings.isSiteCode(value) {
                siteCode = value
            } else {
                fields.report(
                    Diagnostic(
                        .invalidSetting, at: fields.location(ofValue: "site_code"),
                        "site_code（网站标识码）应是 10 位字母或数字，这里是“\(value)”",
                        hint: "照主管部门分配的标识码写，例如 site_code: 3301000001"))
            }
        }
        icp = fields.string("icp")
        if let value = fields.string("police_record") {
            if GovernmentSettings.policeRecordCode(value) != nil {
                policeRecord = value
            } else {
                fields.report(
                    Diagnostic(
                        .invalidSetting, at: fields.location(ofValue: "police_record"),
                        "police_record（公安备案号）里没有备案编号，这里是“\(value)”",
                        hint: "照备案证书写，例如 police_record: 浙公网安备 33010602000001号"))
            }
        }
        audit.read(&fields)
        government.read(&fields)
        fields.warnAboutUnknownKeys(known: Self.keys, kind: "首页（content/_index.md）")
    }

    /// A whole number of at least 1, or nil with a diagnostic.
    static func positive(_ key: String, in fields: inout FrontMatterFields) -> Int? {
        guard let value = fields.int(key) else { return nil }
        guard value >= 1 else {
            fields.report(
                Diagnostic(
                    .invalidSetting, at: fields.location(ofValue: key), "\(key) 必须至少为 1，这里是 \(value)",
                    hint: "写一个正整数，例如 \(key): 20"))
            return nil
        }
        return value
    }

    /// The site's zone name, as set.
    public var timeZoneName: String { timeZone.identifier }
}
