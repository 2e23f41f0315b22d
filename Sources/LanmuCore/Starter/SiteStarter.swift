import Foundation

/// The files of a new site (`lanmu init DIR`): the site settings in `content/_index.md`, every one written out and
/// explained, one topic with one column and a first article, a `.gitignore` and a README for the site's editors.
/// The theme is the one carried by the binary, so no templates are written. Pure: the caller writes the files.
public enum SiteStarter {
    /// Every file of a new site, relative path → text; the first article is dated `now` in Asia/Shanghai.
    public static func files(now: Date) -> [String: String] {
        let stamp = DateFormat("yyyy-MM-dd HH:mm")!.string(
            from: PublishDate(now), in: SiteSettings().timeZone)
        return [
            "content/_index.md": settings,
            "content/xinwen/_index.md": topic,
            "content/xinwen/dongtai/_index.md": column,
            "content/xinwen/dongtai/wangzhan-kaitong.md": firstArticle(date: stamp),
            ".gitignore": gitignore,
            "README.md": readme,
        ]
    }

    /// The home page's front matter: every site setting, with its default or an example, and a Chinese comment.
    /// Settings without a default that would be wrong to guess are written commented out (`# site_code: …`).
    static let settings = """
        ---
        # 网站设置。每一项都可以删掉，删掉时用括号里的默认值。以 # 开头的行是说明，或是先不启用的设置：
        # 要启用时删掉行首的“# ”。改完运行 lanmu check 检查。

        # —— 基本信息 ——
        # 首页在导航和面包屑里的名字（默认：首页）
        title: 首页
        # 网站名：显示在页头和每个页面的标题里
        site_name: 某某单位网站
        # 网站的简短说明：首页的 description，也用于 RSS
        description: 某某单位门户网站
        # 网站地址（以 http:// 或 https:// 开头）：RSS 和网站地图里的网址用它；lanmu build --base-url 可临时改
        base_url: https://www.example.gov.cn
        # 页面语言（默认：zh-CN）
        language: zh-CN
        # 时区：文章日期没写时区时按它理解，显示的日期也按它换算（默认：Asia/Shanghai）
        timezone: Asia/Shanghai

        # —— 日期和列表 ——
        # 文章页“发布日期”的格式：yyyy 年、MM 或 M 月、dd 或 d 日、HH 时、mm 分、ss 秒，例如 yyyy年M月d日
        date_format: yyyy-MM-dd HH:mm
        # 列表和首页里的日期格式
        list_date_format: yyyy-MM-dd
        # 文章没写 source 时的“信息来源”（默认：网站名）
        default_source: 某某单位
        # 栏目列表每页几篇文章（默认：20）
        paginate: 20
        # 自动摘要的长度，单位是字（默认：120）
        summary_length: 120
        # 首页每个栏目显示几篇最新文章（默认：8）
        home_items: 8
        # 每个 RSS 订阅里有几篇文章（默认：20）
        feed_items: 20

        # —— 正文 ——
        # 是否保留 Markdown 里直接写的 HTML（默认：false，不保留；只在信得过所有作者时打开）
        raw_html: false
        # 中文友好的加粗和斜体，例如 **注重。**后面紧跟文字也能加粗（默认：true）
        cjk_emphasis: true

        # —— 站内搜索 ——
        # 是否生成站内搜索（索引、搜索页和页头的搜索框；默认：true）
        search: true

        # —— 浏览次数 ——
        # 计数服务的地址（lanmu counter 或本单位已有的计数器）；不写时页面上显示下面的占位文字
        # counter_url: https://www.example.gov.cn/api/hits
        # 计数器填入数字之前显示的文字（默认：--）
        counter_placeholder: "--"

        # —— 页脚 ——
        # 主办单位、承办单位、地址、联系电话
        organizer: 某某单位
        # undertaker: 某某单位办公室
        # address: 某某省某某市某某路 1 号
        # phone: 0000-00000000
        # 网站标识码：恰好 10 位字母或数字，照主管部门分配的写
        # site_code: 0000000000
        # ICP 备案号，链接到工信部备案网站
        # icp: 某ICP备00000000号-1
        # 公安备案号，链接到全国互联网安全管理服务平台（编号取其中的数字）
        # police_record: 某公网安备 00000000000000号
        # 党政机关网站标识的编号（字母、数字）：页脚显示红色标识
        # conac_id: 0000000000000000
        # 机构代码：栏目写 index_no: auto 时用它生成索引号（字母、数字、-）
        # org_code: 000000000000000000
        # 哀悼日：这些天生成的网站整站变灰。每项一行：- 04-04（每年）、- 2026-04-04（某一年）、- 04-04~04-06（连续几天）
        # mourning_days:
        #   - 04-04

        # —— lanmu audit 自查 ——
        # 各类栏目的更新期限，每项一行“类型 天数”；栏目的 _index.md 用 kind: 写类型。天数 0 表示不要求更新
        update_windows:
          - 动态 14
          - 要闻 14
          - 通知公告 180
          - 政策文件 180
          - 专题 0
        # 不更新的栏目、空白栏目达到几个即单项否决（默认：5、5）
        audit_stale_columns: 5
        audit_blank_columns: 5
        # 首页多少天不更新即单项否决（默认：14）；离期限几天内提醒（默认：3）
        audit_home_days: 14
        audit_warning_days: 3
        # 首页、其他页面每个打不开的链接扣几分（默认：1、0.1）
        audit_home_link_points: 1
        audit_link_points: 0.1
        ---

        """

    static let topic = """
        ---
        title: 新闻中心
        ---

        """

    static let column = """
        ---
        title: 工作动态
        # 栏目类型：lanmu audit 按它检查更新期限（动态、要闻、通知公告、政策文件、专题）
        kind: 动态
        ---

        """

    static func firstArticle(date: String) -> String {
        """
        ---
        title: 网站开通
        date: \(date)
        source: 某某单位
        summary: 本网站今天开通，用 Lanmu 生成。
        ---

        本网站今天开通。这是第一篇文章，可以改写，也可以删掉。

        ## 怎样写文章

        每篇文章是栏目目录里的一个 .md 文件：开头两行 --- 之间写标题、日期、信息来源，下面写正文。
        段落之间空一行；小标题用 ## 开头。

        """
    }

    static let gitignore = """
        # lanmu build 生成的网站、生成时的临时目录和生成缓存
        /public/
        /.public.lanmu-*
        /.lanmu-cache/

        """

    static let readme = """
        # 网站内容

        这个目录是一个用 Lanmu 生成的网站：

        ```
        content/_index.md          网站设置（网站名、网址、页脚等），每一项都有说明
        content/xinwen/            专题“新闻中心”
        content/xinwen/dongtai/    栏目“工作动态”，每篇文章一个 .md 文件
        public/                    生成的网站（不要手改，也不提交）
        ```

        ## 日常工作

        ```sh
        lanmu new xinwen/dongtai "文章标题"   # 新建一篇草稿；写好后删掉 draft: true 这一行
        lanmu serve                         # 在浏览器里预览，保存后自动刷新
        lanmu check                         # 只检查，不生成
        lanmu build                         # 生成网站到 public/，把 public/ 上传到网站服务器
        ```

        出错时，提示写明文件、行、列和改法，`public/` 保持上次的样子。

        ## 新建栏目

        在 `content/` 下建一个目录（目录名就是网址里的一段，用拼音或英文），里面放 `_index.md`，
        写上 `title: 栏目名`。专题下面可以再建栏目。

        ## 改样式

        网站用 Lanmu 自带的主题。要改，先 `lanmu theme export templates` 把主题写出来，再改 `templates/`
        里的文件；只留下改过的文件也可以，其余仍用自带的。

        """
}
