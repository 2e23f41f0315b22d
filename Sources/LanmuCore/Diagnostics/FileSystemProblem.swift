import Foundation

/// A failed read or write said in Chinese by its cause, with a hint that fits it, instead of Foundation's English
/// (`Error Domain=NSCocoaErrorDomain Code=513 …`) under one hint for every cause.
struct FileSystemProblem: Equatable {
    /// What went wrong, without the file (the diagnostic's location names the output or the file).
    var message: String
    var hint: String
    /// The file the system call failed on, when the error says (`/srv/www/public/a/index.html`).
    var path: String?

    /// Whether the failure happened while writing the output (else while reading the site's files).
    enum Direction {
        case reading
        case writing
    }

    init(message: String, hint: String, path: String? = nil) {
        self.message = message
        self.hint = hint
        self.path = path
    }

    /// - Parameter shown: a path the diagnostic names already, so not said again.
    init(_ error: Error, _ direction: Direction, shown: String? = nil) {
        let (code, path) = Self.cause(of: error)
        self.path = path
        let at = path.flatMap { $0 == shown ? nil : "（\(Diagnostic.printable($0))）" } ?? ""
        let writing = direction == .writing
        switch code {
        case EACCES, EPERM:
            message = (writing ? "没有写入权限" : "没有读取权限") + at
            hint =
                writing
                ? "用 ls -ld 查看输出目录和它所在目录的所有者和权限，让运行 lanmu 的用户可写，或用 --output 换一个可写的目录"
                : "用 ls -l 查看文件的所有者和权限，让运行 lanmu 的用户可读"
        case EROFS:
            message = "所在的文件系统是只读的" + at
            hint = "换一个可写的位置（--output 指定输出目录），或把它重新挂载为可写"
        case ENOSPC, EDQUOT:
            message = "磁盘空间已满（或超出了配额）" + at
            hint = "用 df -h 查看剩余空间，清理后重新生成；生成时要临时多占一份网站大小的空间"
        case ENAMETOOLONG:
            message = "文件名太长" + at
            hint = "文件名最多 255 字节（约 85 个汉字）；缩短 slug、文件名或目录名"
        case EBUSY:
            message = "目录正被占用，无法替换（它可能是一个挂载点）" + at
            hint = "把卷挂在上一级目录，再用 --output 指定卷里的一个子目录"
        case ENOENT:
            message = "文件或目录不见了" + at
            hint = "运行时别的程序删除或改名了它；再运行一次"
        case EISDIR, ENOTDIR, EEXIST:
            message =
                (code == EISDIR ? "这里已经有一个同名的目录" : code == EEXIST ? "这里已经有同名的文件或目录" : "路径中的一段是文件，不是目录")
                + at
            hint = "多半是两个文件落在了同一路径上；请把这条信息报告给 Lanmu 的维护者"
        case EIO:
            message = "磁盘读写出错（I/O 错误）" + at
            hint = "磁盘或网络存储可能有故障；检查系统日志（dmesg）后再试"
        case .some(let code):
            message = (writing ? "写入失败：" : "读取失败：") + String(cString: strerror(code)) + at
            hint = writing ? "检查磁盘空间和目录权限" : "检查文件是否存在、是否有读取权限"
        case nil:
            message = (writing ? "写入失败" : "读取失败") + at
            hint = writing ? "检查磁盘空间和目录权限" : "检查文件是否存在、是否有读取权限"
        }
    }

    /// The error number and the path of an error from a system call or from Foundation, when it has them.
    static func cause(of error: Error) -> (Int32?, String?) {
        if let error = error as? SystemCallError { return (error.code.rawValue, error.path) }
        if let error = error as? POSIXError { return (error.code.rawValue, nil) }
        let error = error as NSError
        let path = error.userInfo[NSFilePathErrorKey] as? String ?? (error.userInfo[NSURLErrorKey] as? URL)?.path
        if let code = error.userInfo["errno"] as? Int32 { return (code, path) }
        if let code = error.userInfo["errno"] as? Int { return (Int32(code), path) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return (Int32(underlying.code), path)
        }
        if error.domain == NSPOSIXErrorDomain { return (Int32(error.code), path) }
        if error.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: error.code) {
            case .fileReadNoPermission, .fileWriteNoPermission: return (EACCES, path)
            case .fileWriteVolumeReadOnly: return (EROFS, path)
            case .fileWriteOutOfSpace: return (ENOSPC, path)
            case .fileReadNoSuchFile, .fileNoSuchFile: return (ENOENT, path)
            case .fileWriteInvalidFileName: return (ENAMETOOLONG, path)
            case .fileWriteFileExists: return (EEXIST, path)
            default: break
            }
        }
        return (nil, path)
    }
}
