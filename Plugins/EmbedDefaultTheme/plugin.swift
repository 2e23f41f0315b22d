import Foundation
import PackagePlugin

/// Turns the repository's templates/ (the default theme) into a Swift source of LanmuCore at build time, so the
/// theme carried by the binary is always the one in templates/. Every file under templates/ is an input: changing,
/// adding or removing one regenerates the source.
@main
struct EmbedDefaultTheme: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let templates = context.package.directoryURL.appendingPathComponent("templates")
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("DefaultTheme+Files.swift")
        var inputs: [URL] = [templates]
        if let enumerator = FileManager.default.enumerator(at: templates, includingPropertiesForKeys: nil) {
            for case let url as URL in enumerator { inputs.append(url) }
        }
        return [
            .buildCommand(
                displayName: "Embedding the default theme from templates",
                executable: try context.tool(named: "lanmu-embed-theme").url,
                arguments: [templates.path, output.path],
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}
