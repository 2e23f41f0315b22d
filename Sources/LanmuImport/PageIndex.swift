import LanmuCore

/// A page's elements in document order, each with its parent, the index just past the elements inside it and the
/// part of the page's text it holds: one walk of the page, which every question about it reads.
struct PageIndex {
    struct Entry {
        var element: HTMLElement
        var parent: Int?
        /// The index just past the last element inside this one.
        var end: Int
        /// Where the element's text (`HTMLElement.text`) lies in `text`; empty for hidden elements.
        var text: Range<Int>
    }

    var elements: [Entry] = []
    /// The page's text as `HTMLElement.text` gives it for the root, as UTF-8.
    var bytes: [UInt8] = []

    init(_ root: HTMLElement) {
        enum Step {
            case visit(HTMLElement, parent: Int?, hidden: Bool)
            case text(String)
            case close(Int)
        }
        var stack = [Step.visit(root, parent: nil, hidden: false)]
        while let step = stack.popLast() {
            switch step {
            case .visit(let element, let parent, let hiddenAbove):
                let hidden = hiddenAbove || HTMLElement.invisible.contains(element.name)
                let index = elements.count
                let start = bytes.count
                if !hidden, element.name == "br" || HTMLElement.blocks.contains(element.name) { bytes.append(0x0A) }
                elements.append(Entry(element: element, parent: parent, end: 0, text: start..<start))
                stack.append(.close(index))
                for child in element.children.reversed() {
                    switch child {
                    case .element(let inner): stack.append(.visit(inner, parent: index, hidden: hidden))
                    case .text(let run): if !hidden { stack.append(.text(run)) }
                    }
                }
            case .text(let run): bytes.append(contentsOf: run.utf8)
            case .close(let index):
                elements[index].end = elements.count
                elements[index].text = elements[index].text.lowerBound..<bytes.count
            }
        }
    }

    /// The text of the element at `index`, as `HTMLElement.text` gives it.
    func text(of index: Int) -> String { text(in: elements[index].text) }

    func text(in range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    /// The first element matching any of the selectors, tried in order.
    func first(anyOf selectors: [Selector]) -> Int? {
        for selector in selectors {
            if let found = elements.firstIndex(where: { selector.matches($0.element) }) { return found }
        }
        return nil
    }

    /// Where a word occurs in the page's text.
    struct Occurrences {
        var starts: [Int]
        var length: Int

        /// Whether the word lies wholly within the range.
        func any(within range: Range<Int>) -> Bool {
            var low = 0
            var high = starts.count
            while low < high {
                let middle = (low + high) / 2
                if starts[middle] < range.lowerBound { low = middle + 1 } else { high = middle }
            }
            return low < starts.count && starts[low] + length <= range.upperBound
        }
    }

    func occurrences(of word: String) -> Occurrences {
        let needle = Array(word.utf8)
        var starts: [Int] = []
        guard let first = needle.first, needle.count <= bytes.count else { return Occurrences(starts: [], length: 0) }
        var index = 0
        while index + needle.count <= bytes.count {
            if bytes[index] == first, bytes[index..<index + needle.count].elementsEqual(needle) { starts.append(index) }
            index += 1
        }
        return Occurrences(starts: starts, length: needle.count)
    }
}
