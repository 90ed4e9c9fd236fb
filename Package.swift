// swift-tools-version:6.1
import Foundation
import PackageDescription

/// Swift 6 language mode everywhere, strict concurrency included.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")
let hummingbirdTesting: Target.Dependency = .product(name: "HummingbirdTesting", package: "hummingbird")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

/// The `.mustache` templates under a service's App folder (one beside each screen's controller), as resources: the
/// bundle is flat, and `PageTemplates` finds each by its file name.
func templates(of name: String) -> [Resource] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Services/\(name)/App")
    let files = (FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".mustache") }
    return files.sorted().map { .process($0) }
}

/// A service is an App library (routes, repositories, migrations) and a thin executable.
func service(
    _ name: String, executable: String, dependencies: [Target.Dependency] = [], testDependencies: [Target.Dependency] = []
) -> [Target] {
    let resources = templates(of: name)
    return [
        .target(
            name: "\(name)App",
            dependencies: ["DomainKit", "ServiceKit", "Contracts", hummingbird, .product(name: "HTTPTypes", package: "swift-http-types")]
                + dependencies,
            path: "Services/\(name)/App",
            resources: resources.isEmpty ? nil : resources,
            // In the portal, members of a module's extensions are seen only where the module is imported (when its pages
            // were built from strings, SQLKit's `joined()` was once picked for one). The other services are to follow
            // once their files name every module they use.
            swiftSettings: swiftSettings + (name == "Portal" ? [.enableUpcomingFeature("MemberImportVisibility")] : [])
        ),
        .executableTarget(
            name: executable,
            dependencies: [.target(name: "\(name)App"), "ServiceKit", "Contracts", argumentParser],
            path: "Services/\(name)/Main",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "\(name)AppTests",
            dependencies: [
                .target(name: "\(name)App"), "ServiceKit", "Contracts", "DomainKit", "ServiceTesting", hummingbird, hummingbirdTesting,
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ] + testDependencies,
            path: "Tests/\(name)AppTests",
            swiftSettings: swiftSettings
        ),
    ]
}

let services: [(name: String, executable: String, dependencies: [Target.Dependency], testDependencies: [Target.Dependency])] = [
    ("Registry", "registry", [], []),
    ("Portal", "portal", ["PageKit", .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                          .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), .product(name: "Logging", package: "swift-log"),
                          .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio")], ["SingleWindowApp", "NotificationsApp", "SandboxApp", "DocumentsApp", "PaymentsApp"]),
    ("SingleWindow", "single-window", [.product(name: "SwiftCSV", package: "SwiftCSV")],
     ["DocumentsApp", "RegistryApp", .product(name: "HummingbirdOTP", package: "hummingbird-auth")]),
    ("Documents", "documents", [.product(name: "_NIOFileSystem", package: "swift-nio"), .product(name: "Crypto", package: "swift-crypto"),
                                .product(name: "X509", package: "swift-certificates"), .product(name: "SwiftASN1", package: "swift-asn1"),
                                .product(name: "HummingbirdOTP", package: "hummingbird-auth")], [.product(name: "HummingbirdOTP", package: "hummingbird-auth")]),
    ("Payments", "payments", [], ["SingleWindowApp", "SandboxApp"]),
    ("Notifications", "notifications", ["CSMTP"], ["SandboxApp", "SingleWindowApp"]),
    ("Sandbox", "sandbox", [], []),
    ("Console", "console", ["PageKit", .product(name: "Crypto", package: "swift-crypto")], ["PortalApp", "SingleWindowApp", "DocumentsApp", "PaymentsApp", "NotificationsApp", "PageKit",
                                                                                                      .product(name: "HummingbirdOTP", package: "hummingbird-auth")]),
]

let package = Package(
    name: "MotCua",
    platforms: [.macOS(.v14)],
    products: services.map { .executable(name: $0.executable, targets: [$0.executable]) } + [
        .executable(name: "bare-server", targets: ["bare-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV.git", from: "0.10.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        .target(name: "DomainKit", path: "Shared/DomainKit", resources: [.copy("Resources")], swiftSettings: swiftSettings),
        /// libqrencode, for the QR codes printed on slips (Debian's libqrencode-dev).
        .systemLibrary(name: "CQRencode", path: "Shared/CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        /// What the portal's and the console's pages share: Mustache templates that escape by default, the frame and
        /// form parts, languages, CSRF, the stylesheet, uploaded forms and their files.
        .target(
            name: "PageKit",
            dependencies: ["DomainKit", "ServiceKit", "Contracts", "CQRencode", hummingbird, .product(name: "Mustache", package: "swift-mustache"),
                           .product(name: "Crypto", package: "swift-crypto"), .product(name: "MultipartKit", package: "multipart-kit")],
            path: "Shared/PageKit", resources: [.copy("Templates")], swiftSettings: swiftSettings
        ),
        /// libcurl's SMTP client behind a non-variadic C function Swift can call.
        .target(name: "CSMTP", path: "Shared/CSMTP", linkerSettings: [.linkedLibrary("curl")]),
        .target(
            name: "ServiceKit",
            dependencies: [
                "DomainKit",
                hummingbird,
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
            ],
            path: "Shared/ServiceKit",
            swiftSettings: swiftSettings
        ),
        .target(name: "Contracts", dependencies: ["DomainKit", "ServiceKit"], path: "Shared/Contracts", swiftSettings: swiftSettings),
        .target(
            name: "ServiceTesting",
            dependencies: ["ServiceKit", "Contracts", hummingbird, hummingbirdTesting],
            path: "Tests/ServiceTesting",
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "bare-server", dependencies: [hummingbird], path: "scripts/bench/BareServer", swiftSettings: swiftSettings),
        .testTarget(
            name: "DomainKitTests",
            dependencies: ["DomainKit", .product(name: "PropertyBased", package: "swift-property-based")],
            path: "Tests/DomainKitTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ServiceKitTests",
            dependencies: ["ServiceKit", "DomainKit", "ServiceTesting", hummingbird, hummingbirdTesting,
                           .product(name: "HummingbirdTLS", package: "hummingbird"),
                           .product(name: "HTTPTypes", package: "swift-http-types")],
            path: "Tests/ServiceKitTests",
            swiftSettings: swiftSettings
        ),
    ] + services.flatMap { service($0.name, executable: $0.executable, dependencies: $0.dependencies, testDependencies: $0.testDependencies) },
    swiftLanguageModes: [.v6]
)
