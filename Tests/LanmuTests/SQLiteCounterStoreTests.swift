import Foundation
import GRDB
import Testing

@testable import LanmuCounter

/// The SQLite store: what survives a restart, and the files it refuses to start on.
@Suite struct SQLiteCounterStoreTests {
    static func freshFolder() throws -> URL {
        let folder = testScratch.appendingPathComponent("counter-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func startError(_ make: () throws -> SQLiteCounterStore) -> String? {
        do {
            _ = try make()
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func countsSurviveAReopenAndOldDaysAreForgotten() async throws {
        let path = try Self.freshFolder().appendingPathComponent("c.sqlite").path
        let store = try SQLiteCounterStore(path: path)
        let visitor: [UInt8] = Array(repeating: 1, count: 16)
        #expect(try await store.hit("a", visitor: visitor, day: 100) == 1)
        #expect(try await store.hit("a", visitor: visitor, day: 100) == 1)
        #expect(try await store.hit("a", visitor: [2] + visitor.dropFirst(), day: 100) == 2)
        let salt = try await store.salt(for: 100)
        #expect(salt.count == 32)
        #expect(try await store.salt(for: 100) == salt)
        await store.close()

        let reopened = try SQLiteCounterStore(path: path)
        #expect(try await reopened.counts(of: ["a", "b"]) == ["a": 2, "b": 0])
        #expect(try await reopened.hit("a", visitor: visitor, day: 100) == 2)
        // A new day: a new salt, yesterday's salt and visitors deleted.
        let newSalt = try await reopened.salt(for: 101)
        #expect(newSalt != salt)
        #expect(try await reopened.hit("a", visitor: visitor, day: 101) == 3)
        await reopened.close()
        let database = try DatabaseQueue(path: path)
        let (salts, seenDays) = try await database.read { db in
            (
                try Int.fetchAll(db, sql: "SELECT day FROM salt"),
                try Int.fetchAll(db, sql: "SELECT DISTINCT day FROM seen")
            )
        }
        #expect(salts == [101])
        #expect(seenDays == [101])
    }

    @Test func behavesAsThePostgreSQLStoreDoes() async throws {
        let store = try SQLiteCounterStore(path: try Self.freshFolder().appendingPathComponent("c.sqlite").path)
        try await expectCounterBehaviour(of: store)
        await store.close()
    }

    @Test func concurrentHitsAreEachAnsweredWithADistinctTotal() async throws {
        let path = try Self.freshFolder().appendingPathComponent("c.sqlite").path
        let store = try SQLiteCounterStore(path: path)
        let totals = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<500 {
                group.addTask {
                    try await store.hit("a", visitor: withUnsafeBytes(of: index.bigEndian, Array.init), day: 7)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(totals.sorted() == Array(1...500))
        await store.close()
    }

    @Test func aReadOnlyFileIsRefused() async throws {
        let path = try Self.freshFolder().appendingPathComponent("c.sqlite").path
        let store = try SQLiteCounterStore(path: path)
        await store.close()
        chmod(path, 0o444)
        let message = Self.startError { try SQLiteCounterStore(path: path) }
        #expect(message?.hasPrefix("计数数据库 \(path) 是只读的，计数无法保存，服务不启动") == true, "\(message ?? "")")
    }

    @Test func aCorruptedFileIsRefused() async throws {
        let folder = try Self.freshFolder()
        let garbage = folder.appendingPathComponent("garbage.sqlite").path
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: garbage))
        let first = Self.startError { try SQLiteCounterStore(path: garbage) }
        #expect(first?.hasPrefix("计数数据库 \(garbage) 已损坏") == true, "\(first ?? "")")

        // A real database whose pages past the first were overwritten.
        let damaged = folder.appendingPathComponent("damaged.sqlite").path
        let store = try SQLiteCounterStore(path: damaged)
        for index in 0..<2000 { _ = try await store.hit("a\(index)", visitor: [1], day: 1) }
        await store.close()
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: damaged))
        try handle.seek(toOffset: 4096)
        try handle.write(contentsOf: Data(repeating: 0xFF, count: 3 * 4096))
        try handle.close()
        let second = Self.startError { try SQLiteCounterStore(path: damaged) }
        #expect(second?.hasPrefix("计数数据库 \(damaged) 已损坏") == true, "\(second ?? "")")
    }

    @Test func aFullDiskIsFoundAtStartUp() throws {
        let path = try Self.freshFolder().appendingPathComponent("c.sqlite").path
        let message = Self.startError { try SQLiteCounterStore(path: path, maxPageCount: 1) }
        #expect(message == "计数数据库 \(path) 所在的磁盘已满，计数无法保存，服务不启动：先腾出空间")
    }

    @Test func aSecondServiceOnTheSameFileIsRefused() async throws {
        let path = try Self.freshFolder().appendingPathComponent("c.sqlite").path
        let first = try SQLiteCounterStore(path: path)
        let message = Self.startError { try SQLiteCounterStore(path: path) }
        #expect(message?.contains("正被另一个 lanmu counter 使用") == true)
        // Export reads beside it.
        let reader = try SQLiteCounterStore(path: path, exclusive: false)
        #expect(try await reader.allCounts().isEmpty)
        await reader.close()
        await first.close()
    }
}
