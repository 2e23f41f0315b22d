import Foundation
import Testing

@testable import LanmuCore

/// Date patterns from the site settings and the fixed ISO 8601 and RFC 822 forms, with exact values. (Agreement
/// with Foundation's formatter over many instants and zones is in `DateParserTests`.)
@Suite struct DateFormatTests {
    /// 2024-03-05 07:08:09: every field a single digit, so the one-letter and two-letter widths differ.
    let early = LocalDateTime(year: 2024, month: 3, day: 5, hour: 7, minute: 8, second: 9)
    /// 2024-12-25 23:59:58: every field two digits, so a one-letter width does not cut them.
    let late = LocalDateTime(year: 2024, month: 12, day: 25, hour: 23, minute: 59, second: 58)

    @Test(arguments: [
        ("yyyy", "2024", "2024"),
        ("M", "3", "12"), ("MM", "03", "12"),
        ("d", "5", "25"), ("dd", "05", "25"),
        ("H", "7", "23"), ("HH", "07", "23"),
        ("m", "8", "59"), ("mm", "08", "59"),
        ("s", "9", "58"), ("ss", "09", "58"),
    ])
    func everyFieldAtEveryWidth(pattern: String, early: String, late: String) throws {
        let format = try #require(DateFormat(pattern))
        #expect(format.string(from: self.early) == early)
        #expect(format.string(from: self.late) == late)
    }

    @Test(arguments: [
        ("yyyy年M月d日", "2024年3月5日"),
        ("yyyy年MM月dd日 HH时mm分ss秒", "2024年03月05日 07时08分09秒"),
        ("发布于 yyyy-MM-dd", "发布于 2024-03-05"),
        ("dd/MM/yyyy HH:mm:ss", "05/03/2024 07:08:09"),
        // Letters that are not fields are written as they are.
        ("yyyy-MM-ddTHH:mm Z", "2024-03-05T07:08 Z"),
        ("（yyyy）", "（2024）"),
        // A field may come more than once.
        ("yyyy.M.d–yyyy", "2024.3.5–2024"),
        ("", ""),
        ("无日期", "无日期"),
    ])
    func literalsAroundFieldsAreKept(pattern: String, expected: String) throws {
        let format = try #require(DateFormat(pattern))
        #expect(format.string(from: early) == expected)
        #expect(format.pattern == pattern)
    }

    /// Only `yyyy` writes a year, and at most two letters the other fields; there is no quoting, so a word with a
    /// field letter in it is refused rather than half formatted.
    @Test(arguments: [
        "y", "yy", "yyy", "yyyyy", "yyyy年MMM月", "MMMM", "ddd", "HHH", "mmm", "sss", "yyyy-MM-dd today", "'day'",
    ])
    func unsupportedWidthsAreRefused(pattern: String) {
        #expect(DateFormat(pattern) == nil)
    }

    @Test func patternsAreEqualWhenWrittenAlike() {
        #expect(DateFormat("yyyy-MM-dd") == DateFormat("yyyy-MM-dd"))
        #expect(DateFormat("yyyy-MM-dd") != DateFormat("yyyy-M-d"))
    }

    @Test func theYearAlwaysHasFourDigits() throws {
        let format = try #require(DateFormat("yyyy年"))
        #expect(format.string(from: LocalDateTime(year: 7, month: 1, day: 1)) == "0007年")
        #expect(format.string(from: LocalDateTime(year: 12_345, month: 1, day: 1)) == "12345年")
    }

    @Test(arguments: [(5, 2, "05"), (0, 2, "00"), (12, 2, "12"), (123, 2, "123"), (7, 4, "0007"), (7, 1, "7")])
    func padAddsLeadingZerosUpToTheWidth(value: Int, width: Int, expected: String) {
        #expect(DateFormat.pad(value, width) == expected)
    }

    @Test(arguments: [
        (0, "2024-03-05T07:08:09+00:00", "Tue, 05 Mar 2024 07:08:09 +0000"),
        (8 * 3600, "2024-03-05T07:08:09+08:00", "Tue, 05 Mar 2024 07:08:09 +0800"),
        (-5 * 3600, "2024-03-05T07:08:09-05:00", "Tue, 05 Mar 2024 07:08:09 -0500"),
        (5 * 3600 + 45 * 60, "2024-03-05T07:08:09+05:45", "Tue, 05 Mar 2024 07:08:09 +0545"),
        (-(3 * 3600 + 30 * 60), "2024-03-05T07:08:09-03:30", "Tue, 05 Mar 2024 07:08:09 -0330"),
        (-30 * 60, "2024-03-05T07:08:09-00:30", "Tue, 05 Mar 2024 07:08:09 -0030"),
        (14 * 3600, "2024-03-05T07:08:09+14:00", "Tue, 05 Mar 2024 07:08:09 +1400"),
    ])
    func offsetsAreWrittenWithSignHoursAndMinutes(offset: Int, iso: String, rfc: String) {
        #expect(DateFormat.iso8601(early, offset: offset) == iso)
        #expect(DateFormat.rfc822(early, offset: offset) == rfc)
    }

    /// A week of days from Sunday 2024-03-03, and days on either side of 1970-01-01 (a Thursday).
    @Test(arguments: [
        (2024, 3, 3, "Sun"), (2024, 3, 4, "Mon"), (2024, 3, 5, "Tue"), (2024, 3, 6, "Wed"), (2024, 3, 7, "Thu"),
        (2024, 3, 8, "Fri"), (2024, 3, 9, "Sat"), (1970, 1, 1, "Thu"), (1969, 12, 31, "Wed"), (1969, 12, 25, "Thu"),
        (1900, 1, 1, "Mon"), (2000, 2, 29, "Tue"), (1600, 3, 1, "Wed"),
    ])
    func rfc822NamesTheWeekday(year: Int, month: Int, day: Int, weekday: String) {
        let text = DateFormat.rfc822(LocalDateTime(year: year, month: month, day: day), offset: 0)
        #expect(text.hasPrefix("\(weekday), "), "\(text)")
    }

    @Test func rfc822NamesEveryMonthInEnglish() {
        let names = (1...12).map { month in
            DateFormat.rfc822(LocalDateTime(year: 2023, month: month, day: 1), offset: 0).split(separator: " ")[2]
        }
        #expect(names == ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])
    }

    /// The wall clock and the offset both follow the zone's rules at the instant: New York's clocks went from
    /// 01:59:59 EST to 03:00:00 EDT at 2024-03-10 07:00:00 UTC.
    @Test(arguments: [
        (1_710_053_999 as Int64, "2024-03-10 01:59:59", "2024-03-10T01:59:59-05:00", "Sun, 10 Mar 2024 01:59:59 -0500"),
        (1_710_054_000 as Int64, "2024-03-10 03:00:00", "2024-03-10T03:00:00-04:00", "Sun, 10 Mar 2024 03:00:00 -0400"),
    ])
    func daylightSavingTimeChangesTheClockAndTheOffset(seconds: Int64, local: String, iso: String, rfc: String) throws {
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        let date = PublishDate(secondsSince1970: seconds)
        #expect(try #require(DateFormat("yyyy-MM-dd HH:mm:ss")).string(from: date, in: newYork) == local)
        #expect(DateFormat.iso8601(date, in: newYork) == iso)
        #expect(DateFormat.rfc822(date, in: newYork) == rfc)
    }

    /// One instant, 2024-12-31 16:30:00 UTC, is a different day, hour and offset around the world.
    @Test(arguments: [
        ("UTC", "2024年12月31日 16:30", "2024-12-31T16:30:00+00:00", "Tue, 31 Dec 2024 16:30:00 +0000"),
        ("Asia/Shanghai", "2025年1月1日 00:30", "2025-01-01T00:30:00+08:00", "Wed, 01 Jan 2025 00:30:00 +0800"),
        ("Asia/Kathmandu", "2024年12月31日 22:15", "2024-12-31T22:15:00+05:45", "Tue, 31 Dec 2024 22:15:00 +0545"),
        ("America/St_Johns", "2024年12月31日 13:00", "2024-12-31T13:00:00-03:30", "Tue, 31 Dec 2024 13:00:00 -0330"),
        ("Pacific/Kiritimati", "2025年1月1日 06:30", "2025-01-01T06:30:00+14:00", "Wed, 01 Jan 2025 06:30:00 +1400"),
        ("Pacific/Pago_Pago", "2024年12月31日 05:30", "2024-12-31T05:30:00-11:00", "Tue, 31 Dec 2024 05:30:00 -1100"),
    ])
    func zonesGiveTheirOwnWallClock(zone: String, local: String, iso: String, rfc: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        let date = PublishDate(secondsSince1970: 1_735_662_600)
        #expect(try #require(DateFormat("yyyy年M月d日 HH:mm")).string(from: date, in: timeZone) == local)
        #expect(DateFormat.iso8601(date, in: timeZone) == iso)
        #expect(DateFormat.rfc822(date, in: timeZone) == rfc)
    }

    @Test func instantsBefore1970AreFormattedForward() throws {
        let utc = try #require(TimeZone(identifier: "UTC"))
        let date = PublishDate(secondsSince1970: -1)
        #expect(DateFormat.iso8601(date, in: utc) == "1969-12-31T23:59:59+00:00")
        #expect(DateFormat.rfc822(date, in: utc) == "Wed, 31 Dec 1969 23:59:59 +0000")
    }
}
