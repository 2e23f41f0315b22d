import Foundation

/// Reads the date forms editors write in front matter.
enum DateParser {
    /// The forms accepted, as shown in diagnostics.
    static let acceptedForms = "2020-04-30、2020-04-30 09:17、2020-04-30 09:17:05、2020-04-30T09:17:05+08:00"

    /// Why a date was refused.
    enum Failure: Error, Equatable {
        /// The text has none of the accepted shapes.
        case unrecognised
        /// The shape is right but the value is impossible, with the reason in Chinese.
        case impossible(String)
    }

    /// Parses a date; a time without an offset is wall-clock time in `zone`.
    static func parse(_ text: String, in zone: TimeZone) -> Result<PublishDate, Failure> {
        var scanner = DigitScanner(Array(TextScan.trimmingHorizontalSpace(text).utf8))
        guard let year = scanner.number(digits: 4), scanner.skip("-"), let month = scanner.number(digits: 2),
            scanner.skip("-"), let day = scanner.number(digits: 2)
        else { return .failure(.unrecognised) }
        var local = LocalDateTime(year: year, month: month, day: day)
        var offset: Int?
        if !scanner.atEnd {
            guard scanner.skip("T") || scanner.skip(" "), let hour = scanner.number(digits: 2), scanner.skip(":"),
                let minute = scanner.number(digits: 2)
            else { return .failure(.unrecognised) }
            local.hour = hour
            local.minute = minute
            if scanner.skip(":") {
                guard let second = scanner.number(digits: 2) else { return .failure(.unrecognised) }
                local.second = second
                if scanner.skip(".") { guard scanner.skipDigits() else { return .failure(.unrecognised) } }
            }
            _ = scanner.skip(" ")
            if scanner.skip("Z") {
                offset = 0
            } else if let sign = scanner.sign() {
                guard let hours = scanner.number(digits: 2) else { return .failure(.unrecognised) }
                _ = scanner.skip(":")
                guard let minutes = scanner.number(digits: 2), hours <= 14, minutes < 60 else {
                    return .failure(.unrecognised)
                }
                offset = sign * (hours * 3600 + minutes * 60)
            }
            guard scanner.atEnd else { return .failure(.unrecognised) }
        }
        if let reason = impossibility(of: local) { return .failure(.impossible(reason)) }
        if let offset { return .success(PublishDate(secondsSince1970: local.secondsAsIfUTC - Int64(offset))) }
        return .success(local.instant(in: zone))
    }

    private static func impossibility(of local: LocalDateTime) -> String? {
        if !(1...12).contains(local.month) { return "月份 \(local.month) 不存在（应为 01–12）" }
        let days = LocalDateTime.daysInMonth(year: local.year, month: local.month)
        if !(1...days).contains(local.day) {
            return "\(local.year) 年 \(local.month) 月没有 \(local.day) 日（这个月只有 \(days) 天）"
        }
        if local.hour > 23 { return "小时 \(local.hour) 不存在（应为 00–23）" }
        if local.minute > 59 { return "分钟 \(local.minute) 不存在（应为 00–59）" }
        if local.second > 59 { return "秒 \(local.second) 不存在（应为 00–59）" }
        return nil
    }
}

private struct DigitScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    mutating func number(digits: Int) -> Int? {
        guard index + digits <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[index..<(index + digits)] {
            guard (48...57).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        index += digits
        return value
    }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(character.value) else { return false }
        index += 1
        return true
    }

    mutating func skipDigits() -> Bool {
        let start = index
        while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
        return index > start
    }

    mutating func sign() -> Int? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }
}
