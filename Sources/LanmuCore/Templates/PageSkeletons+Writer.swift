import Foundation
import Mustache

extension PageSkeletons {
    // MARK: Shapes

    /// A page's shape and strings, written value by value: by `value(_:used:)` from dictionaries, or straight from
    /// a page kind's declaration (`PageContexts`, through `TemplateDataSink`; tests hold the two equal). Strings are
    /// collected in a fixed order, dictionary keys sorted; a shared part made to be baked (`SharedContext.serial`)
    /// adds only its number to the shape and none of its strings: its text goes into the skeleton.
    struct Writer {
        var shape: [UInt8]
        var leaves: [String] = []
        /// The baked shared parts, each with the place among `leaves` where its strings would be.
        private(set) var baked: [(position: Int, part: SharedContext)] = []
        /// Whether shared parts made to be baked are baked (not when a shared part's own strings are worked out).
        let bakes: Bool
        /// The keys templates use; the others are left out (nil: none is).
        let used: Set<String>?
        /// Set when something written cannot be in a skeleton (a shared part that could not be flattened).
        var failed = false
        #if DEBUG
            /// The last key written in each open dictionary: keys must come in sorted order.
            private var lastKeys: [String?] = []
        #endif

        init(shape: [UInt8], used: Set<String>? = nil, bakes: Bool = true) {
            self.shape = shape
            self.used = used
            self.bakes = bakes
        }

        mutating func openList() { shape.append(UInt8(ascii: "[")) }
        mutating func closeList() { shape.append(UInt8(ascii: "]")) }
        mutating func openDictionary() {
            shape.append(UInt8(ascii: "{"))
            #if DEBUG
                lastKeys.append(nil)
            #endif
        }
        mutating func closeDictionary() {
            shape.append(UInt8(ascii: "}"))
            #if DEBUG
                lastKeys.removeLast()
            #endif
        }
        mutating func key(_ key: String) {
            #if DEBUG
                if let last = lastKeys.last {
                    if let previous = last {
                        precondition(previous < key, "page data keys out of sorted order: \(previous) before \(key)")
                    }
                    lastKeys[lastKeys.count - 1] = key
                }
            #endif
            shape.append(contentsOf: key.utf8)
            shape.append(UInt8(ascii: ":"))
        }
        mutating func text(_ text: String) {
            // Whether a string is empty or ends a line changes where an indented partial puts its indentation
            // (swift-mustache indents a token's non-empty output after a "\n" character): part of the shape. An
            // empty string is the same in every page of the shape and is rendered as it is.
            if text.isEmpty {
                shape.append(UInt8(ascii: "e"))
            } else {
                shape.append(UInt8(ascii: PageSkeletons.endsWithLineFeed(text) ? "n" : "s"))
                leaves.append(text)
            }
        }
        mutating func flag(_ flag: Bool) { shape.append(UInt8(ascii: flag ? "t" : "f")) }
        mutating func number(_ number: Int) {
            shape.append(UInt8(ascii: "s"))
            leaves.append(String(describing: number))
        }

        /// A shared part, as worked out when it was made; false when it cannot be in a skeleton.
        mutating func shared(_ shared: SharedContext) -> Bool {
            guard let flattened = shared.flattened else { return false }
            if bakes, let serial = shared.serial {
                shape.append(UInt8(ascii: "B"))
                withUnsafeBytes(of: serial.littleEndian) { shape.append(contentsOf: $0) }
                baked.append((leaves.count, shared))
            } else {
                shape += flattened.shape
                leaves += flattened.leaves
            }
            return true
        }

        /// Appends the shape of `value` (keys, booleans, array lengths, which strings end a line) and its strings,
        /// with only the `used` keys (nil: all); false when pages holding it cannot use skeletons. The common types
        /// are told apart by their type, without a chain of failing casts; anything else goes through the casts.
        mutating func value(_ value: Any, used: Set<String>?) -> Bool {
            switch ObjectIdentifier(type(of: value)) {
            case stringType: text(value as! String)
            case dictionaryType: return dictionary(value as! [String: Any], used: used)
            case dictionaryArrayType:
                openList()
                for element in value as! [[String: Any]] {
                    guard dictionary(element, used: used) else { return false }
                }
                closeList()
            case textDictionaryArrayType:
                openList()
                for element in value as! [[String: String]] {
                    openDictionary()
                    for key in element.keys.sorted() where used?.contains(key) ?? true {
                        self.key(key)
                        text(element[key]!)
                    }
                    closeDictionary()
                }
                closeList()
            case boolType: flag(value as! Bool)
            case intType: number(value as! Int)
            case sharedType: return shared(value as! SharedContext)
            case sharedArrayType:
                openList()
                for element in value as! [SharedContext] {
                    guard shared(element) else { return false }
                }
                closeList()
            default:
                return valueByCasting(value, used: used)
            }
            return true
        }

        /// A page's data: its entries, written by `fill`, as one dictionary.
        mutating func page(_ fill: (inout Self) -> Void) {
            openDictionary()
            fill(&self)
            closeDictionary()
        }

        private mutating func dictionary(_ dictionary: [String: Any], used: Set<String>?) -> Bool {
            openDictionary()
            guard entries(of: dictionary, used: used) else { return false }
            closeDictionary()
            return true
        }

        /// The entries of a dictionary, without its braces.
        mutating func entries(of dictionary: [String: Any], used: Set<String>?) -> Bool {
            // Pairs sorted by key: no key is hashed again to find its value.
            for (key, value) in pairs(of: dictionary, used: used) {
                self.key(key)
                guard self.value(value, used: used) else { return false }
            }
            return true
        }

        private mutating func valueByCasting(_ value: Any, used: Set<String>?) -> Bool {
            switch value {
            case let text as String: self.text(text)
            case let flag as Bool: self.flag(flag)
            case let number as Int: self.number(number)
            case let dictionary as [String: Any]: return self.dictionary(dictionary, used: used)
            case let array as [[String: Any]]:
                openList()
                for element in array {
                    guard dictionary(element, used: used) else { return false }
                }
                closeList()
            case let array as [Any]:
                openList()
                for element in array {
                    guard self.value(element, used: used) else { return false }
                }
                closeList()
            case let shared as SharedContext: return self.shared(shared)
            default: return false
            }
            return true
        }
    }
}

extension PageSkeletons.Writer: TemplateDataSink {
    private func wants(_ key: TemplateKey) -> Bool { used?.contains(key.rawValue) ?? true }

    mutating func text(_ key: TemplateKey, _ value: @autoclosure () -> String?) {
        guard wants(key), let text = value() else { return }
        self.key(key.rawValue)
        self.text(text)
    }

    mutating func number(_ key: TemplateKey, _ value: @autoclosure () -> Int) {
        guard wants(key) else { return }
        self.key(key.rawValue)
        number(value())
    }

    mutating func flag(_ key: TemplateKey, _ value: @autoclosure () -> Bool) {
        guard wants(key) else { return }
        self.key(key.rawValue)
        flag(value())
    }

    mutating func shared(_ key: TemplateKey, _ part: @autoclosure () -> SharedContext) {
        guard wants(key) else { return }
        self.key(key.rawValue)
        if !shared(part()) { failed = true }
    }

    mutating func object(_ key: TemplateKey, _ fill: (inout Self) -> Void) {
        guard wants(key) else { return }
        self.key(key.rawValue)
        openDictionary()
        fill(&self)
        closeDictionary()
    }

    mutating func objects<Items: Sequence>(
        _ key: TemplateKey, _ items: Items, _ fill: (inout Self, Items.Element) -> Void
    ) {
        guard wants(key) else { return }
        self.key(key.rawValue)
        openList()
        for item in items {
            openDictionary()
            fill(&self, item)
            closeDictionary()
        }
        closeList()
    }

    mutating func sharedList<Parts: Sequence<SharedContext>>(_ key: TemplateKey, _ parts: @autoclosure () -> Parts) {
        guard wants(key) else { return }
        self.key(key.rawValue)
        openList()
        for part in parts() where !shared(part) { failed = true }
        closeList()
    }
}
