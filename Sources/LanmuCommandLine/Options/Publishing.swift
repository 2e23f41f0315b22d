import ArgumentParser
import LanmuCore

/// Which articles a run takes besides those already out: shared by `build`, `check` and `serve`.
struct Publishing: ParsableArguments {
    @Flag(help: "也包括草稿（draft: true）") var drafts = false
    @Flag(help: "也包括日期在未来的文章") var future = false

    func apply(to options: inout BuildOptions) {
        options.includeDrafts = drafts
        options.includeFuture = future
    }
}
