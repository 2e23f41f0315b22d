import Foundation

/// A date pattern such as `yyyy-MM-dd HH:mm` or `yyyy年M月d日`, applied in a fixed time zone.
struct DateFormat: Sendable, Equatable {
    private enum Part: Sendable, Equatable {
        case literal(String)
        case field(Character, width: Int)
    }

    private let parts: [Part]
    /// The pattern as written in the site settings.
    let pattern: String

    static let fieldLetters: Set<Character> = ["y", "M", "d", "H", "m", "s"]

    /// Parses a pattern; nil when a field letter is repeated an unsupported number of times.
    init?(_ pattern: String) {
        self.pattern = pattern
        var parts: [Part] = []
        var literal = ""
        var characters = Array(pattern)[...]
        while let character = characters.first {
            if Self.fieldLetters.contains(character) {
                let width = characters.prefix { $0 == character }.count
                characters = characters.dropFirst(width)
                let valid = character == "y" ? width == 4 : width <= 2
                guard valid else { return nil }
                if !literal.isEmpty { parts.append(.literal(literal)) }
                literal = ""
                parts.append(.field(character, width: width))
            } else {
                literal.append(character)
                characters = characters.dropFirst()
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
    }

    /// The date as the zone's wall clock shows it.
    func string(from date: PublishDate, in zone: TimeZone) -> String {
        string(from: date.local(in: zone).time)
    }

    /// A wall-clock time (`PublishDate.local(in:)`, worked out once for all of a date's forms).
    func string(from local: LocalDateTime) -> String {
        var result = ""
        for part in parts {
            switch part {
            case .literal(let text): result += text
            case .field(let letter, let width):
                let value: Int
                switch letter {
                case "y":
                    result += Self.pad(local.year, 4)
                    continue
                case "M": value = local.month
                case "d": value = local.day
                case "H": value = local.hour
                case "m": value = local.minute
                default: value = local.second
                }
                result += Self.pad(value, width)
            }
        }
        return result
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// `2020-04-30T09:17:00+08:00`: for `<time datetime>` and the site map.
    static func iso8601(_ date: PublishDate, in zone: TimeZone) -> String {
        let (local, offset) = date.local(in: zone)
        return iso8601(local, offset: offset)
    }

    static func iso8601(_ local: LocalDateTime, offset: Int) -> String {
        return
            "\(pad(local.year, 4))-\(pad(local.month, 2))-\(pad(local.day, 2))T\(pad(local.hour, 2)):\(pad(local.minute, 2))"
            + ":\(pad(local.second, 2))\(offsetText(offset, separator: ":"))"
    }

    /// `Thu, 30 Apr 2020 09:17:00 +0800`: RFC 822 as RSS 2.0 wants it.
    static func rfc822(_ date: PublishDate, in zone: TimeZone) -> String {
        let (local, offset) = date.local(in: zone)
        return rfc822(local, offset: offset)
    }

    static func rfc822(_ local: LocalDateTime, offset: Int) -> String {
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let days = LocalDateTime.daysSince1970(year: local.year, month: local.month, day: local.day)
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        return "\(weekday), \(pad(local.day, 2)) \(months[local.month - 1]) \(pad(local.year, 4)) "
            + "\(pad(local.hour, 2)):\(pad(local.minute, 2)):\(pad(local.second, 2)) \(offsetText(offset, separator: ""))"
    }

    private static func offsetText(_ offset: Int, separator: String) -> String {
        let sign = offset < 0 ? "-" : "+"
        let minutes = abs(offset) / 60
        return "\(sign)\(pad(minutes / 60, 2))\(separator)\(pad(minutes % 60, 2))"
    }
}
