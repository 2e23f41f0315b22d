import Foundation

/// An attachment an article names in its front matter (`attachments:`): a file beside the article, with an optional
/// title (`- 申报表.docx | 2025 年项目申报表`).
struct AttachmentReference: Sendable, Equatable {
    /// The path as written, relative to the article's folder (or to `content/` when it starts with `/`).
    var path: String
    var title: String?
    var location: Diagnostic.Location
}

/// One entry of an article's 附件 list: the file's content path, the title shown, and where it was named (front
/// matter entries only: a missing body link is reported where the link is).
struct Attachment: Sendable, Equatable {
    var contentPath: String
    var title: String
    var location: Diagnostic.Location?
}

/// The 附件 list under an article's body: the files its front matter names, then the office documents and archives
/// its body links to, each once.
enum Attachments {
    /// File kinds that count as attachments when the body links to them.
    static let extensions: Set<String> = ["pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ofd", "zip", "rar"]

    /// Whether a content path names a file of an attachment kind.
    static func isAttachment(_ path: String) -> Bool {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return false }
        return extensions.contains(path[path.index(after: dot)...].lowercased())
    }

    /// Reads `attachments:`: each item a file name, or a file name and a title separated by `|`.
    static func read(_ fields: inout FrontMatterFields) -> [AttachmentReference] {
        (fields.stringsWithLocations("attachments") ?? []).map { text, location in
            let parts = text.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let title = parts.count == 2 && !parts[1].isEmpty ? parts[1] : nil
            return AttachmentReference(path: parts.first ?? "", title: title, location: location)
        }
    }

    /// The list for an article: its front matter's files (resolved against its folder) and its body's links to
    /// attachment kinds, in that order, each content path once. The title is the front matter's, else the file name.
    static func list(for article: ParsedArticle) -> [Attachment] {
        var seen = Set<String>()
        var list: [Attachment] = []
        for reference in article.frontMatter.attachments {
            let path = resolve(reference.path, in: article.directory)
            guard seen.insert(path ?? reference.path).inserted else { continue }
            list.append(
                Attachment(
                    contentPath: path ?? reference.path, title: reference.title ?? fileName(reference.path),
                    location: reference.location))
        }
        for reference in article.rendered.references {
            guard case .file(let path, _) = reference.target, !reference.isImage, isAttachment(path),
                seen.insert(path).inserted
            else { continue }
            list.append(Attachment(contentPath: path, title: fileName(path), location: nil))
        }
        return list
    }

    /// E019 for each file the front matter names that is not there, at the line naming it.
    static func missing(in article: ParsedArticle, assets: Set<String>) -> [Diagnostic] {
        list(for: article).compactMap { attachment in
            guard let location = attachment.location, !assets.contains(attachment.contentPath) else { return nil }
            return Diagnostic(
                .brokenLink, at: location, "附件不存在：content/\(attachment.contentPath)",
                hint: "把附件放进文章所在的目录，或写对相对路径，例如 - 申报表.docx")
        }
    }

    /// A path written in front matter as a content path: relative to the article's folder, or to `content/` when it
    /// starts with `/`; nil when `..` leaves `content/`.
    static func resolve(_ written: String, in directory: [String]) -> String? {
        var segments = written.hasPrefix("/") ? [] : directory
        for part in written.split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                guard !segments.isEmpty else { return nil }
                segments.removeLast()
            default: segments.append(String(part))
            }
        }
        return segments.isEmpty ? nil : segments.joined(separator: "/")
    }

    static func fileName(_ path: String) -> String {
        String(path.split(separator: "/").last ?? Substring(path))
    }

    /// `23 KB`: bytes below 1 KB, whole kilobytes (at least 1) below 1 MB, megabytes with one decimal above.
    static func size(_ bytes: Int64) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return "\((bytes + 512) / 1024) KB" }
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024)
        return "\(tenths / 10).\(tenths % 10) MB"
    }

    /// The URL of a content file: `/` and each segment percent-encoded (the file keeps its Chinese name on disk).
    static func url(_ contentPath: String) -> String {
        "/" + contentPath.split(separator: "/").map { URLPath.encode(String($0)) }.joined(separator: "/")
    }
}
