import Testing

@testable import LanmuCore

/// URLs and output paths made from folder names and slugs: encoded for links, raw for files on disk, and checked
/// so that every segment can be both. (Byte-by-byte agreement of the fast checks with their plain twins is in
/// `TextScanTests`.)
@Suite struct URLPathTests {
    @Test(arguments: [
        ([], "/"),
        (["sanfuwu"], "/sanfuwu/"),
        (["sanfuwu", "shixian", "2020-04-30-jiaoliu"], "/sanfuwu/shixian/2020-04-30-jiaoliu/"),
        (["三服务", "市县动态"], "/%E4%B8%89%E6%9C%8D%E5%8A%A1/%E5%B8%82%E5%8E%BF%E5%8A%A8%E6%80%81/"),
        (["a b", "c+d"], "/a%20b/c%2Bd/"),
        // An editor's percent sign is text, not an escape: it is encoded again.
        (["100%", "%41"], "/100%25/%2541/"),
    ])
    func directoriesAreEncodedAndEndInASlash(segments: [String], expected: String) {
        #expect(URLPath.directory(segments) == expected)
    }

    @Test(arguments: [
        ("~a.b-c_d", "~a.b-c_d"),
        ("新闻", "%E6%96%B0%E9%97%BB"),
        // Full-width punctuation is three UTF-8 bytes, each encoded.
        ("问：答", "%E9%97%AE%EF%BC%9A%E7%AD%94"),
        // An emoji outside the Basic Multilingual Plane is four bytes.
        ("📄", "%F0%9F%93%84"),
        // Combining marks are encoded by their own bytes, not folded into the letter before them.
        ("e\u{301}", "e%CC%81"),
        ("!$&'()*+,;=@", "%21%24%26%27%28%29%2A%2B%2C%3B%3D%40"),
        ("a\u{0}b\u{7F}", "a%00b%7F"),
        ("", ""),
    ])
    func segmentsAreEncodedByteByByteInUpperCaseHex(segment: String, expected: String) {
        #expect(URLPath.encode(segment) == expected)
    }

    @Test(arguments: [
        ([], "index.html"),
        (["sanfuwu"], "sanfuwu/index.html"),
        // Files on disk keep their Chinese names; only links are encoded.
        (["三服务", "市县动态", "交流 面对面"], "三服务/市县动态/交流 面对面/index.html"),
    ])
    func indexFilesUseRawSegments(segments: [String], expected: String) {
        #expect(URLPath.indexFile(segments) == expected)
    }

    @Test func absoluteURLsJoinTheBaseURLWhenThereIsOne() {
        let path = URLPath.directory(["三服务"])
        #expect(URLPath.absolute(path, baseURL: nil) == "/%E4%B8%89%E6%9C%8D%E5%8A%A1/")
        #expect(
            URLPath.absolute(path, baseURL: "https://www.example.gov.cn")
                == "https://www.example.gov.cn/%E4%B8%89%E6%9C%8D%E5%8A%A1/")
        #expect(URLPath.absolute("/", baseURL: "https://www.example.gov.cn/sub") == "https://www.example.gov.cn/sub/")
    }

    @Test(arguments: [
        "sanfuwu", "2020-04-30-jiaoliu", "市县动态", "问：答", "a b", "a.b.c", "..a", "CONX", "COM0", "LPT10", "con_1",
        "中.con", "a\u{301}", "~", "_", "-",
    ])
    func segmentsThatWorkEverywhereHaveNoProblem(segment: String) {
        #expect(URLPath.problem(with: segment) == nil, "\(segment.debugDescription)")
        #expect(URLPath.problemByScalar(with: segment) == nil, "\(segment.debugDescription)")
    }

    @Test(arguments: [
        ("", "它是空的"),
        (".", "“.”表示目录本身或上一级目录"),
        ("..", "“..”表示目录本身或上一级目录"),
        ("a/b", "含有不能用在网址或文件名里的字符“/”"),
        ("a\\b", "含有不能用在网址或文件名里的字符“\\”"),
        ("<b>", "含有不能用在网址或文件名里的字符“<”"),
        ("a>b", "含有不能用在网址或文件名里的字符“>”"),
        ("时间:09", "含有不能用在网址或文件名里的字符“:”"),
        ("说\"好\"", "含有不能用在网址或文件名里的字符“\"”"),
        ("a|b", "含有不能用在网址或文件名里的字符“|”"),
        ("为什么?", "含有不能用在网址或文件名里的字符“?”"),
        ("a*", "含有不能用在网址或文件名里的字符“*”"),
        ("第#1", "含有不能用在网址或文件名里的字符“#”"),
        ("100%", "含有不能用在网址或文件名里的字符“%”"),
        ("a\tb", "含有不能用在网址或文件名里的字符“\\t”"),
        ("新闻\u{0}", "含有不能用在网址或文件名里的字符“\\u{0}”"),
        // The first forbidden character is named, not the first that is checked for.
        ("a%b/c", "含有不能用在网址或文件名里的字符“%”"),
        ("新闻.", "以点或空格结尾（Windows 上无法保存）"),
        ("abc.", "以点或空格结尾（Windows 上无法保存）"),
        ("新闻 ", "以点或空格结尾（Windows 上无法保存）"),
        (" 新闻", "以空格开头"),
        (" abc", "以空格开头"),
        ("\u{301}新闻", "以组合用字符（附加符号）开头"),
        ("\u{20DD}a", "以组合用字符（附加符号）开头"),
        ("CON", "“CON”是 Windows 保留的名称"),
        ("con", "“con”是 Windows 保留的名称"),
        ("Prn.txt", "“Prn.txt”是 Windows 保留的名称"),
        ("aux.b.c", "“aux.b.c”是 Windows 保留的名称"),
        ("NUL", "“NUL”是 Windows 保留的名称"),
        ("com1", "“com1”是 Windows 保留的名称"),
        ("COM9.md", "“COM9.md”是 Windows 保留的名称"),
        ("lpt1", "“lpt1”是 Windows 保留的名称"),
        ("LPT9", "“LPT9”是 Windows 保留的名称"),
        ("con.新闻", "“con.新闻”是 Windows 保留的名称"),
    ])
    func problemsSayWhatIsWrong(segment: String, problem: String) {
        #expect(URLPath.problem(with: segment) == problem, "\(segment.debugDescription)")
        #expect(URLPath.problemByScalar(with: segment) == problem, "\(segment.debugDescription)")
    }

    @Test(arguments: [
        ("con.txt", "CON"), ("..aux.b", "AUX"), ("a", "A"), ("", ""), ("...", ""), ("新闻.con", "新闻"), ("lpt1", "LPT1"),
    ])
    func stemIsTheFirstNameBetweenDotsInUpperCase(segment: String, stem: String) {
        #expect(URLPath.stem(of: segment) == stem)
    }
}
