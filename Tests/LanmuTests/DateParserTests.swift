import Foundation
import Testing

@testable import LanmuCore

@Suite struct DateParserTests {
    let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    /// 2020-04-30 09:17:00 +08:00 = 01:17:00 UTC.
    let expected: Int64 = 1_588_209_420

    @Test(arguments: [
        ("2020-04-30 09:17", 0), ("2020-04-30 09:17:00", 0), ("2020-04-30T09:17:00", 0),
        ("2020-04-30T09:17:00+08:00", 0),
        ("2020-04-30T01:17:00Z", 0), ("2020-04-30T09:17:00+0800", 0), ("2020-04-30T09:17:05.250+08:00", 5),
        ("2020-04-30 09:17:05", 5), (" 2020-04-30 09:17 ", 0), ("2020-04-30", -33420),
    ])
    func acceptsEditorForms(text: String, secondsAfter: Int64) throws {
        let date = try DateParser.parse(text, in: shanghai).get()
        #expect(date.secondsSince1970 == expected + secondsAfter)
    }

    @Test func usesTheSiteZoneNotTheMachineZone() throws {
        let newYork = TimeZone(identifier: "America/New_York")!
        let date = try DateParser.parse("2020-04-30 09:17", in: newYork).get()
        #expect(date.secondsSince1970 == 1_588_252_620)  // 13:17 UTC (EDT, -04:00)
    }

    @Test(arguments: [
        "2020/04/30", "30.04.2020", "2020-4-30", "2020-04-30 9:17", "20200430", "2020-04-30 09:17 北京时间", "",
    ])
    func rejectsOtherShapes(text: String) {
        #expect(DateParser.parse(text, in: shanghai).failure == .unrecognised)
    }

    @Test(arguments: [
        ("2024-02-30", "2024 年 2 月没有 30 日（这个月只有 29 天）"), ("2023-02-29", "2023 年 2 月没有 29 日（这个月只有 28 天）"),
        ("2020-13-01", "月份 13 不存在（应为 01–12）"), ("2020-04-30 24:00", "小时 24 不存在（应为 00–23）"),
        ("2020-04-30 09:60", "分钟 60 不存在（应为 00–59）"),
    ])
    func rejectsImpossibleDates(text: String, reason: String) {
        #expect(DateParser.parse(text, in: shanghai).failure == .impossible(reason))
    }

    @Test func leapDayExists() throws {
        #expect(throws: Never.self) { try DateParser.parse("2024-02-29", in: shanghai).get() }
    }

    @Test func formatsInTheSiteZone() {
        let date = PublishDate(secondsSince1970: expected)
        #expect(DateFormat("yyyy-MM-dd HH:mm")!.string(from: date, in: shanghai) == "2020-04-30 09:17")
        #expect(DateFormat("yyyy年M月d日")!.string(from: date, in: shanghai) == "2020年4月30日")
        #expect(DateFormat.iso8601(date, in: shanghai) == "2020-04-30T09:17:00+08:00")
        #expect(DateFormat.rfc822(date, in: shanghai) == "Thu, 30 Apr 2020 09:17:00 +0800")
        #expect(
            DateFormat.rfc822(date, in: TimeZone(identifier: "America/New_York")!) == "Wed, 29 Apr 2020 21:17:00 -0400")
    }

    /// Every form written byte by byte agrees with Foundation's formatter, over instants from 1950 to 2100, in zones
    /// east and west of Greenwich and with offsets of whole, half and three-quarter hours.
    @Test(arguments: ["Asia/Shanghai", "America/New_York", "America/St_Johns", "Asia/Kathmandu", "UTC"])
    func formatsAsFoundationDoes(zoneName: String) {
        let zone = TimeZone(identifier: zoneName)!
        func foundation(_ pattern: String) -> DateFormatter {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.calendar = Calendar(identifier: .gregorian)
            formatter.timeZone = zone
            formatter.dateFormat = pattern
            return formatter
        }
        let patterns = ["yyyy-MM-dd HH:mm", "yyyy年M月d日 H时m分s秒", "MM/dd/yyyy", "d.M.yyyy HH:mm:ss"]
        let formatters = patterns.map(foundation)
        let iso = foundation("yyyy-MM-dd'T'HH:mm:ssxxx")
        let rfc = foundation("EEE, dd MMM yyyy HH:mm:ss xx")
        var seconds: Int64 = -631_152_000  // 1950-01-01
        while seconds < 4_102_444_800 {  // 2100-01-01
            let date = PublishDate(secondsSince1970: seconds)
            let instant = Date(timeIntervalSince1970: TimeInterval(seconds))
            for (pattern, formatter) in zip(patterns, formatters) {
                #expect(DateFormat(pattern)!.string(from: date, in: zone) == formatter.string(from: instant))
            }
            #expect(DateFormat.iso8601(date, in: zone) == iso.string(from: instant))
            #expect(DateFormat.rfc822(date, in: zone) == rfc.string(from: instant))
            seconds += 3_600_017 * 3 + 59  // about every 125 days, at every hour, minute and second over the years
        }
    }

    /// Found by the date fuzzer: Shanghai's local mean time (+08:05:43) before 1901 lost its seconds on the
    /// way through ISO 8601.
    @Test func datesBefore1901SurviveARoundTrip() throws {
        let date = try DateParser.parse("1010-04-30 10:17", in: shanghai).get()
        let iso = DateFormat.iso8601(date, in: shanghai)
        #expect(iso == "1010-04-30T10:17:00+08:06")
        #expect(try DateParser.parse(iso, in: shanghai).get() == date)
    }

    /// Found by the date fuzzer: a year below 1000 was written with fewer than four digits.
    @Test func yearsAreWrittenWithFourDigits() throws {
        let date = try DateParser.parse("0220-04-30 09:17", in: shanghai).get()
        #expect(DateFormat.iso8601(date, in: shanghai).hasPrefix("0220-04-30T09:17:00"))
        #expect(DateFormat("yyyy")!.string(from: date, in: shanghai) == "0220")
    }

    @Test func refusesUnsupportedPatterns() {
        #expect(DateFormat("yy-MM-dd") == nil)
        #expect(DateFormat("yyyy-MMM") == nil)
    }

    @Test(arguments: [-1_000_000_000 as Int64, 0, 951_782_400, 4_102_444_800])
    func civilDaysRoundTrip(seconds: Int64) {
        let local = LocalDateTime(secondsAsIfUTC: seconds)
        #expect(local.secondsAsIfUTC == seconds)
    }
}
