/// What `lanmu --version` says. `.ci/package` writes the commit into `commit` in the copy it builds from; a build
/// made any other way says it is a development build.
enum BuildInfo {
    static let version = "0.1.0"
    /// The commit the package was built from (short hash), or nil for a development build.
    static let commit: String? = nil

    /// `lanmu 0.1.0（提交 abc1234）`, or `lanmu 0.1.0（开发版本，未记录提交）`.
    static var versionLine: String {
        "lanmu \(version)（" + (commit.map { "提交 \($0)" } ?? "开发版本，未记录提交") + "）"
    }
}
