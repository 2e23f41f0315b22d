/// The stable codes of every diagnostic Lanmu reports; the README tabulates them.
public enum DiagnosticCode: String, Sendable, CaseIterable, Comparable {
    case notUTF8 = "E001"
    case missingFrontMatter = "E002"
    case unterminatedFrontMatter = "E003"
    case invalidYAML = "E004"
    case missingField = "E005"
    case invalidDate = "E006"
    case wrongType = "E007"
    case duplicateURL = "E008"
    case templateSyntax = "E009"
    case missingTemplate = "E010"
    case unknownTemplateVariable = "E011"
    case invalidSlug = "E012"
    case unsafeOutput = "E013"
    case fileSystem = "E014"
    case sectionWithoutIndex = "E015"
    case invalidSetting = "E016"
    case duplicateKey = "E017"
    case notAMapping = "E018"
    case brokenLink = "E019"
    case renderTimeout = "E020"
    case templateCycle = "E021"
    case templateTooDeep = "E022"
    case unknownKey = "W001"
    case rawHTMLDropped = "W002"
    case noBaseURL = "W003"
    case ignoredFile = "W004"
    case missingAnchor = "W005"
    case imageWithoutAlt = "W006"

    /// Errors stop the build; warnings are shown and the build goes on.
    public var severity: Diagnostic.Severity { rawValue.hasPrefix("E") ? .error : .warning }

    /// A short Chinese name for the README's table.
    public var chineseSummary: String {
        switch self {
        case .notUTF8: "文件不是 UTF-8 编码"
        case .missingFrontMatter: "缺少 front matter"
        case .unterminatedFrontMatter: "front matter 没有结束的 ---"
        case .invalidYAML: "YAML 语法错误"
        case .missingField: "缺少必填字段"
        case .invalidDate: "日期无法识别"
        case .wrongType: "字段类型错误"
        case .duplicateURL: "两个页面的网址相同"
        case .templateSyntax: "模板语法错误"
        case .missingTemplate: "模板或局部模板不存在"
        case .unknownTemplateVariable: "模板使用了不存在的变量"
        case .invalidSlug: "slug 或文件名不能用作网址"
        case .unsafeOutput: "输出目录不安全"
        case .fileSystem: "读写文件失败"
        case .sectionWithoutIndex: "目录缺少 _index.md"
        case .invalidSetting: "站点设置无效"
        case .duplicateKey: "字段重复"
        case .notAMapping: "front matter 不是“字段: 值”的形式"
        case .brokenLink: "链接或图片指向的文件不存在"
        case .renderTimeout: "渲染 Markdown 超时"
        case .templateCycle: "模板循环包含自己"
        case .templateTooDeep: "模板嵌套太深"
        case .unknownKey: "未知字段"
        case .rawHTMLDropped: "原始 HTML 已被丢弃"
        case .noBaseURL: "未设置 base_url"
        case .ignoredFile: "文件被忽略"
        case .missingAnchor: "链接的锚点不存在"
        case .imageWithoutAlt: "图片缺少替代文字"
        }
    }

    /// A short English name for the README's table.
    public var englishSummary: String {
        switch self {
        case .notUTF8: "file is not UTF-8"
        case .missingFrontMatter: "front matter missing"
        case .unterminatedFrontMatter: "front matter not closed by ---"
        case .invalidYAML: "invalid YAML"
        case .missingField: "required field missing"
        case .invalidDate: "unrecognised date"
        case .wrongType: "field has the wrong type"
        case .duplicateURL: "two pages share one URL"
        case .templateSyntax: "template syntax error"
        case .missingTemplate: "template, partial or parent not found"
        case .unknownTemplateVariable: "template uses an unknown variable"
        case .invalidSlug: "slug or file name unusable in a URL"
        case .unsafeOutput: "unsafe output directory"
        case .fileSystem: "file system error"
        case .sectionWithoutIndex: "folder has no _index.md"
        case .invalidSetting: "invalid site setting"
        case .duplicateKey: "duplicate key"
        case .notAMapping: "front matter is not a key/value mapping"
        case .brokenLink: "link or image target does not exist"
        case .renderTimeout: "Markdown rendering took too long"
        case .templateCycle: "template includes itself"
        case .templateTooDeep: "template nested too deeply"
        case .unknownKey: "unknown key"
        case .rawHTMLDropped: "raw HTML dropped"
        case .noBaseURL: "base_url not set"
        case .ignoredFile: "file ignored"
        case .missingAnchor: "link anchor does not exist"
        case .imageWithoutAlt: "image without alt text"
        }
    }

    public static func < (lhs: DiagnosticCode, rhs: DiagnosticCode) -> Bool { lhs.rawValue < rhs.rawValue }
}
