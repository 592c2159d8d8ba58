// swift-tools-version: 6.1
import PackageDescription

// A channel plugin in its own package, depending on Attune by path. In your own
// project, point the dependency at Attune's repository instead.
//
//   swift run physio-demo          the plugin on sample.jsonl
//   swift run research-rig         Attune embedded in a program that makes its own cues
//   swift test                     the plugin's tests, with AttuneTestKit
let package = Package(
    name: "PhysioPlugin",
    products: [
        .library(name: "PhysioChannel", targets: ["PhysioChannel"]),
    ],
    dependencies: [
        // Named, so targets below can say `package: "Attune"` whatever the clone's folder is called.
        .package(name: "Attune", path: "../.."),
    ],
    targets: [
        .target(name: "PhysioChannel", dependencies: [.product(name: "Attune", package: "Attune")]),
        .executableTarget(name: "physio-demo", dependencies: ["PhysioChannel", .product(name: "Attune", package: "Attune")]),
        .executableTarget(name: "research-rig", dependencies: ["PhysioChannel", .product(name: "Attune", package: "Attune")]),
        .testTarget(name: "PhysioChannelTests", dependencies: ["PhysioChannel", .product(name: "AttuneTestKit", package: "Attune")]),
    ]
)
