/// Every name the templates can look up: the vocabulary. A name outside it is a typo and is reported when the
/// templates are checked. Page kinds write their data with these keys (`PageContexts`); a test holds the two
/// together, so a key no page provides, or a page key missing here, fails it. The README documents each.
enum TemplateKey: String, CaseIterable, Sendable {
    // The site (`site.…`)
    case address
    case assetsURL = "assets_url"
    case baseURL = "base_url"
    case conacID = "conac_id"
    case conacURL = "conac_url"
    case counterPlaceholder = "counter_placeholder"
    case counterURL = "counter_url"
    case description
    case feedURL = "feed_url"
    /// Any of the marks on the footer's last line: 网站标识码, ICP, 公安备案.
    case hasMarks = "has_marks"
    case icp
    case language
    case mourning
    case name
    case organizer
    case phone
    case policeRecord = "police_record"
    case policeRecordURL = "police_record_url"
    case searchURL = "search_url"
    case siteCode = "site_code"
    case title
    case undertaker
    case url

    // Every page: `site`, `nav`, `breadcrumb`, `page`
    case site
    case nav
    case current
    case breadcrumb
    case first
    case last
    case page
    case kind
    case canonical
    case errorReportURL = "error_report_url"
    case meta
    case isHome = "is_home"
    case isList = "is_list"
    case isArticle = "is_article"

    // The home page
    case topics
    case columns
    case articles
    case latest

    // List pages: `section`, `articles`, `pager`
    case section
    case total
    case hasChildren = "has_children"
    case children
    case pager
    case pages
    case multiple
    case firstURL = "first_url"
    case lastURL = "last_url"
    case hasPrev = "has_prev"
    case hasNext = "has_next"
    case numbers
    case number
    case prevURL = "prev_url"
    case nextURL = "next_url"

    // Article pages: `article`, `prev`, `next`
    case article
    case id
    case hits
    case summary
    case content
    case pinned
    case date
    case listDate = "list_date"
    case dateISO = "date_iso"
    case source
    case tags
    case author
    case editor
    case prev
    case next
    case wordCount = "word_count"
    case readingMinutes = "reading_minutes"
    // 政务公开 and 附件 on article pages
    case hasInfo = "has_info"
    case indexNo = "index_no"
    case issuer
    case writtenDate = "written_date"
    case docNo = "doc_no"
    case topic
    case validity
    case attachments
    case hasAttachments = "has_attachments"
    case size

    /// Every name, for checking templates.
    static let names = Set(allCases.map(\.rawValue))
}

/// Where a page kind's data is written (`PageContexts`): into dictionaries for swift-mustache
/// (`TemplateDictionary`), or straight into a skeleton's shape and strings (`PageSkeletons.Writer`). A page kind
/// declares its data once, as calls on a sink, and every form comes from that one declaration.
///
/// Keys are written in sorted order within each dictionary (the order `PageSkeletons` flattens dictionaries in);
/// debug builds check it. A value is worked out only when a template can look its key up.
protocol TemplateDataSink {
    /// Text; nothing when it is nil (the key is left out, as a dictionary leaves it out).
    mutating func text(_ key: TemplateKey, _ value: @autoclosure () -> String?)
    mutating func number(_ key: TemplateKey, _ value: @autoclosure () -> Int)
    mutating func flag(_ key: TemplateKey, _ value: @autoclosure () -> Bool)
    /// A part many pages hold as it is (`SharedContext`).
    mutating func shared(_ key: TemplateKey, _ part: @autoclosure () -> SharedContext)
    /// A dictionary whose entries `fill` writes.
    mutating func object(_ key: TemplateKey, _ fill: (inout Self) -> Void)
    /// A list of dictionaries, one for each item, whose entries `fill` writes.
    mutating func objects<Items: Sequence>(
        _ key: TemplateKey, _ items: Items, _ fill: (inout Self, Items.Element) -> Void)
    /// A list of shared parts.
    mutating func sharedList<Parts: Sequence<SharedContext>>(_ key: TemplateKey, _ parts: @autoclosure () -> Parts)
}

/// Page data as the dictionaries swift-mustache renders, with only the keys the templates use (nil: all).
struct TemplateDictionary: TemplateDataSink {
    private(set) var value: [String: Any] = [:]
    let used: Set<String>?

    init(used: Set<String>?) { self.used = used }

    /// The dictionary `fill` writes.
    static func make(used: Set<String>?, _ fill: (inout TemplateDictionary) -> Void) -> [String: Any] {
        var dictionary = TemplateDictionary(used: used)
        fill(&dictionary)
        return dictionary.value
    }

    /// A dictionary for each item, written by `fill`.
    static func list<Items: Sequence>(
        used: Set<String>?, _ items: Items, _ fill: (inout TemplateDictionary, Items.Element) -> Void
    ) -> [[String: Any]] {
        items.map { item in make(used: used) { fill(&$0, item) } }
    }

    private func wants(_ key: TemplateKey) -> Bool { used?.contains(key.rawValue) ?? true }

    mutating func text(_ key: TemplateKey, _ value: @autoclosure () -> String?) {
        guard wants(key), let text = value() else { return }
        self.value[key.rawValue] = text
    }

    mutating func number(_ key: TemplateKey, _ value: @autoclosure () -> Int) {
        if wants(key) { self.value[key.rawValue] = value() }
    }

    mutating func flag(_ key: TemplateKey, _ value: @autoclosure () -> Bool) {
        if wants(key) { self.value[key.rawValue] = value() }
    }

    mutating func shared(_ key: TemplateKey, _ part: @autoclosure () -> SharedContext) {
        if wants(key) { value[key.rawValue] = part() }
    }

    mutating func object(_ key: TemplateKey, _ fill: (inout TemplateDictionary) -> Void) {
        if wants(key) { value[key.rawValue] = Self.make(used: used, fill) }
    }

    mutating func objects<Items: Sequence>(
        _ key: TemplateKey, _ items: Items, _ fill: (inout TemplateDictionary, Items.Element) -> Void
    ) {
        if wants(key) { value[key.rawValue] = Self.list(used: used, items, fill) }
    }

    mutating func sharedList<Parts: Sequence<SharedContext>>(_ key: TemplateKey, _ parts: @autoclosure () -> Parts) {
        if wants(key) { value[key.rawValue] = Array(parts()) }
    }
}
