import ArgumentParser

/// Where a build writes the site: `build` writes there, `check` checks that it could.
struct OutputFolder: ParsableArguments {
    @Option(help: "输出目录（默认：<site>/public）") var output: String?
}
