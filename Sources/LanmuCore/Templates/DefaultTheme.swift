import Foundation

/// The default theme carried by the binary: the repository's templates/ folder, turned into a Swift source at build
/// time by the EmbedDefaultTheme plugin (`encodedFiles`). A site without templates/ builds with it; a site's own
/// templates/ overrides it file by file; `lanmu theme export` writes it out.
public enum DefaultTheme {
    /// Every file of the theme, keyed by its path under templates/ (`home.mustache`, `assets/css/lanmu.css`).
    public static let files: [String: [UInt8]] = {
        var files: [String: [UInt8]] = [:]
        for (path, base64) in encodedFiles {
            guard let data = Data(base64Encoded: base64) else {
                preconditionFailure("the embedded theme file \(path) is not valid Base64")
            }
            files[path] = [UInt8](data)
        }
        return files
    }()

    /// The theme's paths in a stable order.
    public static var paths: [String] { files.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }

    /// An asset's bytes, by its path under `assets/`.
    static func asset(_ path: String) -> [UInt8] {
        guard let bytes = files["assets/" + path] else { preconditionFailure("no default theme asset \(path)") }
        return bytes
    }

    /// The theme's assets, by their paths under `assets/`, sorted.
    static let assetPaths: [String] = paths.filter { $0.hasPrefix("assets/") }.map {
        String($0.dropFirst("assets/".count))
    }

    /// The theme's templates, keyed by name (`partials/header`), as text.
    static let templates: [String: String] = {
        var templates: [String: String] = [:]
        for (path, bytes) in files where path.hasSuffix(".mustache") && !path.hasPrefix("assets/") {
            templates[String(path.dropLast(".mustache".count))] = String(decoding: bytes, as: UTF8.self)
        }
        return templates
    }()

    /// Where a file of the embedded theme is said to be in diagnostics.
    static func display(_ path: String) -> String { "（Lanmu 自带主题）templates/\(path)" }

    /// Writes every file of the theme under `folder`, making folders as needed; files already there are replaced.
    /// - Throws: the file system's error when a folder or file cannot be written.
    public static func export(to folder: URL) throws {
        for path in paths {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(files[path]!).write(to: url)
        }
    }
}
