import Foundation
import Testing

@testable import Extract

/// The zip layer under the xlsx reader: what it reads, and what it refuses without hanging.
@Suite(.timeLimit(.minutes(1))) struct ZipArchiveTests {
    private let book = XLSXBuilder(
        rows: row(1, inline("A1", "客户编号"), inline("B1", "手机")) + row(2, inline("A2", "C001"), number("B2", "13800138000")))

    private func rows(_ path: String) throws -> [[String]] {
        let reader = try XLSXReader(path: path, options: .init())
        var rows: [[String]] = []
        while let next = try reader.next() { rows.append(next.record?.values ?? []) }
        return rows
    }

    private func failure(_ path: String) -> ExtractError? {
        do {
            _ = try rows(path)
            return nil
        } catch {
            return error as? ExtractError
        }
    }

    /// The sheet's entry changed by `change`; every other part stored as it is.
    private func workbook(zip64: Bool = false, sheet change: (inout ZipBytes.Entry) -> Void) throws -> String {
        var zip = ZipBytes(parts: book.allParts(), zip64: zip64)
        change(&zip.entries[zip.entries.firstIndex { $0.name == "xl/worksheets/sheet1.xml" }!])
        return try zip.write()
    }

    @Test func storedDeflatedAndZip64ArchivesReadAlike() throws {
        let expected = [["C001", "13800138000"]]
        #expect(try rows(book.write()) == expected)
        #expect(try rows(workbook { _ in }) == expected)
        let deflated = try workbook {
            $0.method = 8
            $0.data = ZipBytes.deflateStored($0.content)
        }
        #expect(try rows(deflated) == expected)
        #expect(try rows(workbook(zip64: true) { _ in }) == expected)
    }

    /// Found by fuzzing: ZIPFoundation read on past the entry, then for ever at the end of the
    /// file, when a deflate stream had no final block.
    @Test func aDeflateStreamThatNeverEndsIsDamagedNotEndless() throws {
        let path = try workbook {
            $0.method = 8
            $0.data = ZipBytes.deflateStored($0.content, final: false)
        }
        let error = failure(path)
        #expect(error?.code == .cannotRead)
        #expect(error?.message.contains("xl/worksheets/sheet1.xml cannot be inflated") == true, "\(String(describing: error))")
        #expect(error?.message.contains("compressed data ends before the part does") == true)
    }

    @Test func encryptedEntriesAndForeignMethodsAreRefusedByName() throws {
        let encrypted = failure(try workbook { $0.flags = 1 })
        #expect(encrypted?.message.contains("xl/worksheets/sheet1.xml is encrypted") == true, "\(String(describing: encrypted))")
        let bzip2 = failure(try workbook { $0.method = 12 })
        #expect(bzip2?.message.contains("zip method 12") == true, "\(String(describing: bzip2))")
    }

    @Test func anEntryWhoseDataRunsPastTheFileIsDamaged() throws {
        let error = failure(try workbook { $0.claimedSize = 1 << 20 })
        #expect(error?.code == .cannotRead)
        #expect(error?.message.contains("data runs past the end of the file") == true, "\(String(describing: error))")
    }

    @Test func aFileCutShortHasNoDirectory() throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try workbook { _ in })))
        bytes.removeLast(30)
        #expect(failure(try temporaryFile(bytes, suffix: ".xlsx"))?.message.contains("incomplete") == true)
    }

    /// The end record's claims, changed in place: a directory too large for a workbook, and
    /// zip64 markers with no zip64 records behind them.
    @Test(arguments: [
        (12, [0x01, 0x00, 0x00, 0x01], "larger than 16 MiB"),
        (10, [0xFF, 0xFF], "zip64 directory locator is missing"),
    ])
    func aDamagedEndRecordIsRefusedByName(offset: Int, bytes: [UInt8], message: String) throws {
        var file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try workbook { _ in })))
        let end = file.count - 22
        file.replaceSubrange(end + offset..<end + offset + bytes.count, with: bytes)
        let error = failure(try temporaryFile(file, suffix: ".xlsx"))
        #expect(error?.code == .cannotRead)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }
}
