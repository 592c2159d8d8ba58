// swift-tools-version: 6.1
import PackageDescription

// Layout, so a newcomer finds things in a minute:
//   Sources/AttuneCore   the bus, the wire codec (json-c), fusion, policy, output adapters
//   Plugins/*Channel     the built-in channel plugins (text, voice, posture)
//   Sources/Attune       the library users import: core + built-in channels + configuration
//   Sources/AttuneTestKit  an in-memory engine for plugin authors' tests
//   Sources/AttuneCLI    the `attune` command
let package = Package(
    name: "Attune",
    products: [
        .library(name: "Attune", targets: ["Attune"]),
        .library(name: "AttuneTestKit", targets: ["AttuneTestKit"]),
        .executable(name: "attune", targets: ["AttuneCLI"]),
        .library(name: "AttuneExec", targets: ["AttuneExec"]),
        // The C API (Protocols/attune.h): `swift build --product attune_c` -> libattune_c.so
        .library(name: "attune_c", type: .dynamic, targets: ["CAttune"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CJSONC",
            path: "Sources/CJSONC",
            pkgConfig: "json-c",
            providers: [.apt(["libjson-c-dev"])]
        ),
        .target(name: "AttuneCore", dependencies: ["CJSONC"]),
        .target(name: "TextChannel", dependencies: ["AttuneCore"], path: "Plugins/TextChannel"),
        .target(name: "VoiceChannel", dependencies: ["AttuneCore"], path: "Plugins/VoiceChannel"),
        .target(name: "PostureChannel", dependencies: ["AttuneCore"], path: "Plugins/PostureChannel"),
        .target(name: "Attune", dependencies: ["AttuneCore", "TextChannel", "VoiceChannel", "PostureChannel"]),
        .target(name: "AttuneTestKit", dependencies: ["Attune"]),
        // Out-of-process channel plugins (Protocols/exec-plugin.md).
        .target(name: "AttuneExec", dependencies: ["AttuneCore"]),
        .target(name: "CAttune", dependencies: ["Attune"]),
        .executableTarget(
            name: "AttuneCLI",
            dependencies: ["Attune", "AttuneExec", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "AttuneCoreTests", dependencies: [
            "AttuneCore", "AttuneTestKit", "CJSONC",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "TextChannelTests", dependencies: ["TextChannel"]),
        .testTarget(name: "VoiceChannelTests", dependencies: ["VoiceChannel", "AttuneTestKit"], exclude: ["Fixtures"]),
        .testTarget(name: "PostureChannelTests", dependencies: ["PostureChannel", "AttuneTestKit"]),
        .testTarget(name: "AttuneCLITests", dependencies: ["Attune", "CJSONC"]),
        .testTarget(name: "AttuneOutputTests", dependencies: ["Attune", "CJSONC"]),
        .testTarget(name: "AttuneFeedbackTests", dependencies: ["Attune", "CJSONC"], exclude: ["Fixtures"]),
        .testTarget(name: "AttuneRobustnessTests", dependencies: ["Attune"]),
        .testTarget(name: "AttuneEmbedTests", dependencies: ["Attune", "AttuneTestKit", "AttuneExec"]),
    ]
)

// Same strict settings for every Swift target, as swift-log does.
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
