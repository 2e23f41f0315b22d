import Foundation

/// The settings a government site needs beyond the footer lines every site has: the 党政机关标识 registry id, the
/// 承办单位, the organisation code 索引号 are made from, and the 哀悼日 on which the whole site is shown in grey.
/// Read from `content/_index.md` with the other settings; each value is checked where it is written.
public struct GovernmentSettings: Sendable, Equatable {
    /// `conac_id`: the site's id in the 党政机关网站标识 registry; the footer shows the red mark linking to it.
    public var conacID: String?
    /// `undertaker`: 承办单位, shown in the footer beside 主办单位.
    public var undertaker: String?
    /// `org_code`: the organisation code that generated 索引号 start with (`index_no: auto` in a column).
    public var orgCode: String?
    /// `mourning_days`: the days of national mourning, each a day of every year (`04-04`), a day of one year
    /// (`2026-04-04`) or a range of either (`04-04~04-06`).
    public var mourningDays: [MourningDay] = []

    public init() {}

    static let keys = ["conac_id", "undertaker", "org_code", "mourning_days"]

    /// Reads the settings, reporting unusable values at the line they are on.
    mutating func read(_ fields: inout FrontMatterFields) {
        if let value = fields.string("conac_id") {
            if Self.isCode(value, lengths: 1...64) {
                conacID = value
            } else {
                fields.report(
                    Diagnostic(
                        .invalidSetting, at: fields.location(ofValue: "conac_id"),
                        "conac_id 应是党政机关网站标识的编号（只有字母和数字），这里是“\(value)”",
                        hint: "从标识管理平台（bszs.conac.cn）本站页面地址里的 id= 后面复制，例如 conac_id: 0A1B2C3D4E5F"))
            }
        }
        undertaker = fields.string("undertaker")
        if let value = fields.string("org_code") {
            if value.utf8.allSatisfy({ Self.isLetterOrDigit($0) || $0 == 0x2D }) && !value.isEmpty {
                orgCode = value
            } else {
                fields.report(
                    Diagnostic(
                        .invalidSetting, at: fields.location(ofValue: "org_code"),
                        "org_code 应是机构代码（字母、数字或 -），这里是“\(value)”",
                        hint: "写本机关的统一社会信用代码或组织机构代码，例如 org_code: 11330000002482162P"))
            }
        }
        for (text, location) in fields.stringsWithLocations("mourning_days") ?? [] {
            if let day = MourningDay(text) {
                mourningDays.append(day)
            } else {
                fields.report(
                    Diagnostic(
                        .invalidSetting, at: location, "mourning_days 的一项“\(text)”不是日期或日期范围",
                        hint: "每项一行：每年的某天写 - 04-04，某一年的某天写 - 2026-04-04，连续几天写 - 04-04~04-06"))
            }
        }
    }

    /// Whether a build on this local day shows the site in grey.
    public func isMourning(year: Int, month: Int, day: Int) -> Bool {
        mourningDays.contains { $0.contains(year: year, month: month, day: day) }
    }

    static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        default: false
        }
    }

    /// Whether a text is only ASCII letters and digits, of a length in `lengths`.
    static func isCode(_ text: String, lengths: ClosedRange<Int>) -> Bool {
        lengths.contains(text.utf8.count) && text.utf8.allSatisfy(isLetterOrDigit)
    }

    /// The record number in a 公安备案号 (`浙公网安备 33010602000001号` → `33010602000001`): its digits, when it
    /// has some.
    static func policeRecordCode(_ text: String) -> String? {
        let digits = String(text.unicodeScalars.filter { $0.isASCII && (0x30...0x39).contains($0.value) })
        return digits.isEmpty ? nil : digits
    }

    /// `site_code` (网站标识码): exactly ten letters or digits, as the national registry gives them.
    static func isSiteCode(_ text: String) -> Bool { isCode(text, lengths: 10...10) }
}

/// One entry of `mourning_days`: a day or a range of days, every year or in one year.
public struct MourningDay: Sendable, Equatable {
    /// Month and day as `month * 100 + day`, with the year when the entry names one.
    var first: (year: Int?, monthDay: Int)
    var last: (year: Int?, monthDay: Int)

    public static func == (lhs: MourningDay, rhs: MourningDay) -> Bool {
        lhs.first == rhs.first && lhs.last == rhs.last
    }

    /// `04-04`, `2026-04-04`, or two of them joined by `~`, `～` or `至`; nil when it is none of these.
    init?(_ text: String) {
        let parts = text.split(whereSeparator: { $0 == "~" || $0 == "～" || $0 == "至" }).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard parts.count == 1 || parts.count == 2,
            let first = Self.day(parts[0]), let last = parts.count == 2 ? Self.day(parts[1]) : first,
            (first.year == nil) == (last.year == nil)
        else { return nil }
        if let year = first.year, let lastYear = last.year {
            guard (year, first.monthDay) <= (lastYear, last.monthDay) else { return nil }
        }
        self.first = first
        self.last = last
    }

    /// `MM-DD` or `YYYY-MM-DD`, a day the calendar has (29 February in any year for `MM-DD`).
    private static func day(_ text: String) -> (year: Int?, monthDay: Int)? {
        let numbers = text.split(separator: "-", omittingEmptySubsequences: false)
        guard numbers.count == 2 || numbers.count == 3,
            numbers.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } })
        else { return nil }
        let values = numbers.map { Int($0)! }
        let year = numbers.count == 3 ? values[0] : nil
        if let year, numbers[0].count != 4 { return nil }
        let month = values[values.count - 2]
        let day = values[values.count - 1]
        guard numbers[numbers.count - 2].count == 2, numbers[numbers.count - 1].count == 2, (1...12).contains(month)
        else { return nil }
        guard day >= 1, day <= LocalDateTime.daysInMonth(year: year ?? 2000, month: month) else { return nil }
        return (year, month * 100 + day)
    }

    func contains(year: Int, month: Int, day: Int) -> Bool {
        let monthDay = month * 100 + day
        if let firstYear = first.year, let lastYear = last.year {
            return (firstYear, first.monthDay) <= (year, monthDay) && (year, monthDay) <= (lastYear, last.monthDay)
        }
        // Every year; a range may run over the new year (12-31~01-01).
        if first.monthDay <= last.monthDay { return first.monthDay <= monthDay && monthDay <= last.monthDay }
        return monthDay >= first.monthDay || monthDay <= last.monthDay
    }
}
