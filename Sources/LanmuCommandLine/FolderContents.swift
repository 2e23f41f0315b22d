import Foundation

/// What is in a folder that a command would write into (`lanmu init`, `lanmu theme export`).
enum FolderContents {
    /// The names in `folder`, sorted; nil when it does not exist. A file where the folder should be is one name.
    static func names(in folder: URL) -> [String]? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) else { return nil }
        guard isDirectory.boolValue else { return [folder.lastPathComponent] }
        // Unreadable counts as not empty: the write that follows would fail anyway, and nothing is overwritten.
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? ["（无法读取）"]
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// `a、b、c`, or the first five and how many more.
    static func listed(_ names: [String]) -> String {
        let shown = names.prefix(5).joined(separator: "、")
        return names.count > 5 ? "\(shown) 等 \(names.count) 项" : shown
    }
}
