import Foundation

/// A date pattern such as `yyyy-MM-dd HH:mm` or `yyyy年M月d日`, applied in a fixed time zone.
struct DateFormat: Sendable, Equatable {
    private enum Part: Sendable, Equatable {
        case literal(String)
        case field(Field, width: Int)
    }

    /// A field by the letter that writes it.
    private enum Field: Character, Sendable, Equatable {
        case year = "y", month = "M", day = "d", hour = "H", minute = "m", second = "s"
    }

    private let parts: [Part]
    /// At most how many bytes `string(from:)` writes: the literals, and each field at its widest.
    private let capacity: Int
    /// The pattern as written in the site settings.
    let pattern: String

    /// Parses a pattern; nil when a field letter is repeated an unsupported number of times.
    init?(_ pattern: String) {
        self.pattern = pattern
        var parts: [Part] = []
        var literal = ""
        var characters = Array(pattern)[...]
        while let character = characters.first {
            if let field = Field(rawValue: character) {
                let width = characters.prefix { $0 == character }.count
                characters = characters.dropFirst(width)
                let valid = character == "y" ? width == 4 : width <= 2
                guard valid else { return nil }
                if !literal.isEmpty { parts.append(.literal(literal)) }
                literal = ""
                parts.append(.field(field, width: width))
            } else {
                literal.append(character)
                characters = characters.dropFirst()
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
        capacity = parts.reduce(0) { total, part in
            switch part {
            case .literal(let text): total + text.utf8.count
            case .field: total + ASCIIDigits.widestNumber
            }
        }
    }

    /// The date as the zone's wall clock shows it.
    func string(from date: PublishDate, in zone: TimeZone) -> String {
        string(from: date.local(in: zone).time)
    }

    /// A wall-clock time (`PublishDate.local(in:)`, worked out once for all of a date's forms).
    func string(from local: LocalDateTime) -> String {
        ASCIIDigits.string(capacity: capacity) { digits in
            for part in parts {
                switch part {
                case .literal(let text): digits.append(text)
                case .field(let field, let width):
                    switch field {
                    case .year: digits.append(local.year, width: 4)
                    case .month: digits.append(local.month, width: width)
                    case .day: digits.append(local.day, width: width)
                    case .hour: digits.append(local.hour, width: width)
                    case .minute: digits.append(local.minute, width: width)
                    case .second: digits.append(local.second, width: width)
                    }
                }
            }
        }
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
        ASCIIDigits.string(capacity: 8 * ASCIIDigits.widestNumber + 8) { digits in
            digits.append(local.year, width: 4)
            digits.append(byte: 0x2D)  // -
            digits.append(local.month, width: 2)
            digits.append(byte: 0x2D)
            digits.append(local.day, width: 2)
            digits.append(byte: 0x54)  // T
            digits.append(local.hour, width: 2)
            digits.append(byte: 0x3A)  // :
            digits.append(local.minute, width: 2)
            digits.append(byte: 0x3A)
            digits.append(local.second, width: 2)
            appendOffset(offset, separator: true, to: &digits)
        }
    }

    /// `Thu, 30 Apr 2020 09:17:00 +0800`: RFC 822 as RSS 2.0 wants it.
    static func rfc822(_ date: PublishDate, in zone: TimeZone) -> String {
        let (local, offset) = date.local(in: zone)
        return rfc822(local, offset: offset)
    }

    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func rfc822(_ local: LocalDateTime, offset: Int) -> String {
        let days = LocalDateTime.daysSince1970(year: local.year, month: local.month, day: local.day)
        return ASCIIDigits.string(capacity: 8 * ASCIIDigits.widestNumber + 16) { digits in
            digits.append(weekdays[Int(((days % 7) + 7) % 7)])
            digits.append(", ")
            digits.append(local.day, width: 2)
            digits.append(byte: 0x20)
            digits.append(months[local.month - 1])
            digits.append(byte: 0x20)
            digits.append(local.year, width: 4)
            digits.append(byte: 0x20)
            digits.append(local.hour, width: 2)
            digits.append(byte: 0x3A)
            digits.append(local.minute, width: 2)
            digits.append(byte: 0x3A)
            digits.append(local.second, width: 2)
            digits.append(byte: 0x20)
            appendOffset(offset, separator: false, to: &digits)
        }
    }

    /// `+08:00` (or `+0800` without the separator).
    private static func appendOffset(_ offset: Int, separator: Bool, to digits: inout ASCIIDigits) {
        digits.append(byte: offset < 0 ? 0x2D : 0x2B)
        let minutes = abs(offset) / 60
        digits.append(minutes / 60, width: 2)
        if separator { digits.append(byte: 0x3A) }
        digits.append(minutes % 60, width: 2)
    }
}

/// A short string written byte by byte: every article's date is formatted four ways, and
/// building each from padded-number strings and interpolation made a dozen small strings per form.
struct ASCIIDigits: ~Copyable {
    /// The most bytes `append(_:width:)` writes for a width up to 4: an Int's 19 digits and a sign.
    static let widestNumber = 20

    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0

    private init(_ buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

    /// The string `write` makes, which writes at most `capacity` bytes.
    /// The bytes are written on the stack and the string made of exactly those: a million articles keep four dates
    /// each, and a string made with room to spare keeps the room.
    static func string(capacity: Int, _ write: (inout ASCIIDigits) -> Void) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var digits = ASCIIDigits(buffer)
            write(&digits)
            return UTF8Text.string(known: UnsafeBufferPointer(rebasing: buffer[..<digits.count]))
        }
    }

    mutating func append(byte: UInt8) {
        precondition(count < buffer.count, "ASCIIDigits: more bytes than the capacity given")
        buffer[count] = byte
        count += 1
    }

    mutating func append(_ text: String) {
        for byte in text.utf8 { append(byte: byte) }
    }

    /// The number in decimal, with zeros in front up to `width` digits (`DateFormat.pad`).
    mutating func append(_ value: Int, width: Int) {
        guard value >= 0 else { return append(DateFormat.pad(value, width)) }
        var length = 1
        var rest = value / 10
        while rest > 0 {
            length += 1
            rest /= 10
        }
        let end = count + max(width, length)
        precondition(end <= buffer.count, "ASCIIDigits: more bytes than the capacity given")
        while count < end - length { append(byte: 0x30) }
        var remaining = value
        for index in stride(from: end - 1, through: count, by: -1) {
            buffer[index] = 0x30 + UInt8(remaining % 10)
            remaining /= 10
        }
        count = end
    }
}
