// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Lanmu",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lanmu", targets: ["lanmu"]),
        .executable(name: "lanmu-bench", targets: ["lanmu-bench"]),
        .library(name: "LanmuCore", targets: ["LanmuCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        .systemLibrary(name: "CLinux"),
        .systemLibrary(
            name: "CGumbo",
            pkgConfig: "gumbo",
            providers: [.apt(["libgumbo-dev"])]
        ),
        .target(
            name: "LanmuCore",
            dependencies: [
                "CCmark",
                "CGumbo",
                "CLinux",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            plugins: ["EmbedDefaultTheme"]
        ),
        // Writes templates/ as a Swift source of LanmuCore at build time (the default theme in the binary).
        .executableTarget(name: "lanmu-embed-theme"),
        .plugin(name: "EmbedDefaultTheme", capability: .buildTool(), dependencies: ["lanmu-embed-theme"]),
        .target(
            name: "LanmuServer",
            dependencies: [
                "LanmuCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .target(
            name: "LanmuCounter",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // `lanmu import`: old pages parsed by gumbo (HTML5), written as Markdown articles.
        .target(
            name: "LanmuImport",
            dependencies: [
                "LanmuCore",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The HTTP(S) client of `lanmu audit --external` (SwiftNIO and BoringSSL, already linked for the servers and
        // PostgreSQL), so that lanmu needs no libcurl.
        .target(
            name: "LanmuHTTPClient",
            dependencies: [
                "LanmuCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "LanmuCommandLine",
            dependencies: [
                "LanmuHTTPClient",
                "LanmuCore",
                "LanmuServer",
                "LanmuCounter",
                "LanmuImport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "lanmu",
            dependencies: ["LanmuCommandLine"]
        ),
        .executableTarget(
            name: "lanmu-bench",
            dependencies: []
        ),
        .testTarget(
            name: "LanmuTests",
            dependencies: [
                "LanmuCore", "LanmuServer", "LanmuCounter", "LanmuImport", "LanmuHTTPClient", "LanmuCommandLine",
                "lanmu",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
