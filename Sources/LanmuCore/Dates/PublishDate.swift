import Foundation

/// An instant at which an article was published, kept as whole seconds since 1970 (UTC).
public struct PublishDate: Sendable, Hashable, Comparable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var secondsSince1970: Int64

    /// Creates a date from seconds since 1970 (UTC).
    public init(secondsSince1970: Int64) {
        self.secondsSince1970 = secondsSince1970
    }

    /// Creates a date from a Foundation date, dropping fractions of a second.
    public init(_ date: Date) {
        self.secondsSince1970 = Int64(date.timeIntervalSince1970.rounded(.down))
    }

    public static func < (lhs: PublishDate, rhs: PublishDate) -> Bool { lhs.secondsSince1970 < rhs.secondsSince1970 }

    var foundationDate: Date { Date(timeIntervalSince1970: TimeInterval(secondsSince1970)) }
}

/// A wall-clock date and time in some time zone.
struct LocalDateTime: Sendable, Equatable {
    var year: Int
    var month: Int
    var day: Int
    var hour = 0
    var minute = 0
    var second = 0

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    static func daysSince1970(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }

    /// The inverse of `daysSince1970` (`civil_from_days`).
    static func civil(fromDaysSince1970 days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let dayOfEra = z - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Seconds since 1970 if this wall-clock time were UTC.
    var secondsAsIfUTC: Int64 {
        Self.daysSince1970(year: year, month: month, day: day) * 86400 + Int64(hour * 3600 + minute * 60 + second)
    }

    init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        (self.year, self.month, self.day, self.hour, self.minute, self.second) = (
            year, month, day, hour, minute, second
        )
    }

    init(secondsAsIfUTC seconds: Int64) {
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let rest = Int(seconds - days * 86400)
        let civil = Self.civil(fromDaysSince1970: days)
        self.init(
            year: civil.year, month: civil.month, day: civil.day, hour: rest / 3600, minute: rest % 3600 / 60,
            second: rest % 60)
    }

    /// The instant at which the wall clock of a zone shows this time.
    func instant(in zone: TimeZone) -> PublishDate {
        let asUTC = secondsAsIfUTC
        var offset = Self.minuteOffset(zone, at: asUTC)
        let corrected = Self.minuteOffset(zone, at: asUTC - offset)
        if corrected != offset { offset = corrected }
        return PublishDate(secondsSince1970: asUTC - offset)
    }

    /// The zone's offset at an instant, rounded to whole minutes (see `PublishDate.local(in:)`).
    static func minuteOffset(_ zone: TimeZone, at seconds: Int64) -> Int64 {
        let exact = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return Int64((Double(exact) / 60).rounded()) * 60
    }
}

extension PublishDate {
    /// The wall-clock time of this instant in a zone, with the zone's offset in seconds.
    func local(in zone: TimeZone) -> (time: LocalDateTime, offset: Int) {
        // Offsets are whole minutes, as ISO 8601 and RFC 822 can write them; before 1901 some zones had local mean
        // time with seconds (Shanghai +08:05:43), which would otherwise not survive a round trip.
        let offset = Int(LocalDateTime.minuteOffset(zone, at: secondsSince1970))
        return (LocalDateTime(secondsAsIfUTC: secondsSince1970 + Int64(offset)), offset)
    }
}
