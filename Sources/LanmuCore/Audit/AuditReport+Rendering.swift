import Foundation

/// The report in the three forms `lanmu audit` writes: lines for the terminal, JSON for scripts, and a
/// self-contained HTML page an editor-in-chief can read.
extension AuditReport {
    /// One finding a line, compiler style where it has a file (`content/…/_index.md:3: 单项否决 …`), each with its
    /// hint below, then the verdict.
    public var lines: [String] {
        var lines: [String] = []
        for finding in findings {
            var place = finding.file.map { file in finding.line.map { "\(file):\($0): " } ?? "\(file): " } ?? ""
            if place.isEmpty, let page = finding.page { place = "\(page): " }
            lines.append("\(place)\(finding.severity.chinese) \(finding.message)")
            if let hint = finding.hint { lines.append("    提示: \(hint)") }
        }
        lines.append(summary)
        return lines
    }

    /// The verdict in one line.
    public var summary: String {
        let vetoes = findings.count { $0.severity == .veto }
        let warnings = findings.count { $0.severity == .warning }
        let links = "链接 \(linksChecked) 个，打不开的首页 \(brokenOnHome) 个、其他页面 \(brokenElsewhere) 个"
        let points = "扣 \(Self.points(deductedPoints)) 分"
        return passes
            ? "检查通过（\(today)）：没有单项否决；\(points)；\(links)；提醒 \(warnings) 条。"
            : "检查不通过（\(today)）：单项否决 \(vetoes) 条；\(points)；\(links)；提醒 \(warnings) 条。"
    }

    private static func points(_ value: Double) -> String {
        value == value.rounded()
            ? String(Int(value)) : String(format: "%.1f", value).replacingOccurrences(of: ".0", with: "")
    }

    /// The report as JSON (keys sorted, so the same site gives the same bytes).
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else {
            // Every field is a string, a number, a boolean or an array of them: encoding cannot fail.
            preconditionFailure("the audit report could not be encoded")
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// A self-contained HTML page: the verdict first, then the columns by urgency and a table per kind of finding.
    public var html: String {
        func escape(_ text: String) -> String { MarkupEscaping.html(text) }
        var html = """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(siteName)) 网站检查报告 \(escape(today))</title>
            <style>
            body{font:16px/1.7 "PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#222;max-width:1100px;margin:0 auto;padding:24px}
            h1{font-size:26px}h2{font-size:20px;margin-top:32px;border-bottom:2px solid #b71c1c;padding-bottom:4px}
            .verdict{font-size:20px;font-weight:bold;padding:12px 16px;border-radius:4px}
            .pass{background:#e8f5e9;color:#1b5e20}.veto{background:#ffebee;color:#b71c1c}
            table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:6px 8px;text-align:left;vertical-align:top}
            th{background:#f5f5f5}.s-veto{color:#b71c1c;font-weight:bold}.s-deduction{color:#8a4b00}.s-warning{color:#6d4c00}
            </style>
            </head>
            <body>
            <h1>\(escape(siteName)) 网站检查报告</h1>
            <p>检查日期：\(escape(today))（站点时区）</p>
            <p class="verdict \(passes ? "pass" : "veto")">\(escape(summary))</p>

            """
        html += "<h2>栏目更新情况</h2>\n<table>\n<tr><th>栏目</th><th>类型</th><th>期限（天）</th><th>最近发布</th>"
        html += "<th>距今（天）</th><th>剩余（天）</th><th>文章数</th></tr>\n"
        for column in columns {
            func number(_ value: Int?) -> String { value.map(String.init) ?? "—" }
            let link: String = "<a href=\"\(escape(column.url))\">\(escape(column.title))</a>"
            let cells: [String] = [
                link, escape(column.kind ?? "未设置"), number(column.windowDays), escape(column.lastDate ?? "空白栏目"),
                number(column.daysSince), number(column.daysLeft), String(column.articles),
            ]
            html += "<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        html += "</table>\n"
        let groups: [(String, String)] = [
            ("stale_home", "首页更新"), ("stale_column", "栏目不更新"), ("column_due", "即将到期的栏目"),
            ("blank_column", "空白栏目"), ("undated_items", "没有显示日期的信息"), ("broken_link", "打不开的链接"),
            ("broken_external_link", "打不开的站外链接"),
            ("missing_mark", "网站标识"), ("unknown_kind", "栏目类型"), ("column_without_kind", "没有写类型的栏目"),
        ]
        for (check, title) in groups {
            let found = findings.filter { $0.check == check }
            guard !found.isEmpty else { continue }
            html +=
                "<h2>\(escape(title))（\(found.count)）</h2>\n<table>\n<tr><th>程度</th><th>位置</th><th>问题</th><th>怎么办</th></tr>\n"
            for finding in found {
                let place =
                    finding.file.map { file in finding.line.map { "\(file):\($0)" } ?? file } ?? finding.page ?? ""
                html += "<tr><td class=\"s-\(finding.severity.rawValue)\">\(finding.severity.chinese)</td>"
                html +=
                    "<td>\(escape(place))</td><td>\(escape(finding.message))</td><td>\(escape(finding.hint ?? ""))</td></tr>\n"
            }
            html += "</table>\n"
        }
        return html + "</body>\n</html>\n"
    }
}
