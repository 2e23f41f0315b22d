import Foundation
import Mustache
import Synchronization

/// A part of the page data that many pages hold as it is (the site, the navigation of a topic, a section and its
/// breadcrumb, an article's list entry): its shape and strings are worked out once instead of for every page. Templates see the value itself
/// (swift-mustache looks through `MustacheCustomRepresentation`).
final class SharedContext: MustacheCustomRepresentation, @unchecked Sendable {
    /// A `[String: Any]` or an array of them, never changed after this is made.
    let value: Any
    let flattened: (shape: [UInt8], leaves: [String])?
    /// For a part made to be baked, a number that stands for its shape and strings in the shapes of the pages
    /// holding it, whose skeletons then hold its text: the same number for the same shape and strings (in every
    /// build of the process, so a preview's rebuilds find their skeletons again).
    let serial: UInt64?

    /// - Parameters:
    ///   - used: the keys templates use (`PageSkeletons.used`).
    ///   - bakes: whether its text goes into the skeletons of the pages holding it — for parts that thousands of
    ///     pages hold, few of them in all (the site, the navigation, a section, a breadcrumb); not for list entries,
    ///     which would make each list page a shape of its own.
    init(_ value: Any, used: Set<String>?, bakes: Bool = false) {
        self.value = value
        let writer = PageSkeletons.flattened(value, used: used)
        self.flattened = writer.map { ($0.shape, $0.leaves) }
        self.serial = bakes ? writer.map { Self.serial(shape: $0.shape, leaves: $0.leaves) } : nil
    }

    var representation: Any? { value }

    private struct Content: Hashable {
        let shape: [UInt8]
        let leaves: [String]
    }

    private static let serials = Mutex<[Content: UInt64]>([:])

    private static func serial(shape: [UInt8], leaves: [String]) -> UInt64 {
        serials.withLock { serials in
            let content = Content(shape: shape, leaves: leaves)
            if let serial = serials[content] { return serial }
            let serial = UInt64(serials.count)
            serials[content] = serial
            return serial
        }
    }
}
