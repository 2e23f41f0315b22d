import Foundation
import Testing

@testable import LanmuCore

/// E014 said by its cause: the shapes Foundation and the system calls give their errors in, each turned into its
/// own Chinese message and hint (before, Foundation's English text under a disk-space hint for every cause).
@Suite struct FileSystemProblemTests {
    static let path = "/srv/www/public/index.html"

    /// A permission error as FileManager reports it (Cocoa code, the POSIX error underneath) and as a system call
    /// does; a read-only mount; a full disk; the cause found from the Cocoa code alone.
    @Test(
        arguments: [
            (
                CocoaError(
                    .fileWriteNoPermission,
                    userInfo: [
                        NSFilePathErrorKey: path,
                        NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(EACCES)),
                    ]
                ) as Error, "没有写入权限（\(path)）", "用 ls -ld"
            ),
            (SystemCallError(.EACCES, path: path), "没有写入权限（\(path)）", "用 ls -ld"),
            (SystemCallError(.EROFS, path: path), "所在的文件系统是只读的（\(path)）", "换一个可写的位置"),
            (
                CocoaError(.fileWriteVolumeReadOnly, userInfo: [NSFilePathErrorKey: path]), "所在的文件系统是只读的（\(path)）",
                "换一个可写的位置"
            ),
            (SystemCallError(.ENOSPC, path: path), "磁盘空间已满（或超出了配额）（\(path)）", "用 df -h"),
            (CocoaError(.fileWriteOutOfSpace), "磁盘空间已满（或超出了配额）", "用 df -h"),
            (
                CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, "errno": EBUSY]),
                "目录正被占用，无法替换（它可能是一个挂载点）（\(path)）", "把卷挂在上一级目录"
            ),
        ] as [(Error, String, String)])
    func eachCauseHasItsOwnMessageAndHint(error: Error, message: String, hint: String) {
        let problem = FileSystemProblem(error, .writing)
        #expect(problem.message == message)
        #expect(problem.hint.hasPrefix(hint), "\(problem.hint)")
        #expect(!problem.message.contains("Error Domain"))
    }

    @Test func readingSaysReadingAndLeavesOutThePathTheDiagnosticNames() {
        let problem = FileSystemProblem(SystemCallError(.EACCES, path: Self.path), .reading, shown: Self.path)
        #expect(problem.message == "没有读取权限")
        #expect(problem.hint == "用 ls -l 查看文件的所有者和权限，让运行 lanmu 的用户可读")
    }

    /// A real failure from the system: a folder made below a file.
    @Test func aRealFailureIsSaidInChinese() throws {
        let site = try TestSite(["file": "x"], copyTemplates: false)
        let target = site.root.appendingPathComponent("file/below").path
        #expect(mkdir(target, 0o755) != 0)
        let problem = FileSystemProblem(SystemCallError(POSIXErrorCode(rawValue: errno)!, path: target), .writing)
        #expect(problem.message == "路径中的一段是文件，不是目录（\(target)）")
        #expect(problem.hint == "多半是两个文件落在了同一路径上；请把这条信息报告给 Lanmu 的维护者")
    }
}
