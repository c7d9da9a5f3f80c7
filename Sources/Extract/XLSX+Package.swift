import Foundation

/// An opened .xlsx file: the zip archive and its entries by path.
///
/// Used by one thread at a time: the reader's while it opens the workbook, then the sheet's
/// thread, which the reader waits for before it goes away.
struct XLSXPackage: @unchecked Sendable {
    let path: String
    let archive: ZipArchive
    let limits: XLSXReader.Limits
    /// Lower-cased, without a leading `/`: some writers differ from the relationships in case.
    private let entries: [String: ZipArchive.Entry]

    init(path: String, limits: XLSXReader.Limits) throws(ExtractError) {
        self.path = path
        self.limits = limits
        try Self.checkSignature(Self.head(of: path), path: path)
        do {
            archive = try ZipArchive(path: path)
        } catch .noDirectory {
            throw ExtractError(
                .cannotRead, file: path,
                """
                the zip archive is incomplete: its central directory is missing (a truncated download or \
                copy?); no row could be read
                """)
        } catch .unreadable(let code) {
            throw ExtractError(.cannotRead, file: path, "cannot read: \(String(cString: strerror(code)))")
        } catch {
            throw ExtractError(.cannotRead, file: path, "the zip archive is damaged (\(error)); no row could be read")
        }
        var entries: [String: ZipArchive.Entry] = [:]
        for entry in archive.entries where entries[Self.key(entry.path)] == nil {
            entries[Self.key(entry.path)] = entry
        }
        self.entries = entries
    }

    var fileSize: UInt64 { archive.fileSize }

    func entry(_ partPath: String) -> ZipArchive.Entry? { entries[Self.key(partPath)] }

    private static func key(_ partPath: String) -> String {
        var key = partPath.lowercased()
        // Foundation's replacing goes through NSString, slow for every part looked up; few paths hold a `\`.
        if key.utf8.contains(0x5C) { key = key.replacingOccurrences(of: "\\", with: "/") }
        while key.hasPrefix("/") { key.removeFirst() }
        return key
    }

    /// The first bytes of the file.
    private static func head(of path: String) throws(ExtractError) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ExtractError(.cannotOpen, file: path, "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { try? handle.close() }
        do {
            return [UInt8](try handle.read(upToCount: 8) ?? Data())
        } catch {
            throw ExtractError(.cannotRead, file: path, "cannot read: \(error)")
        }
    }

    private static func checkSignature(_ head: [UInt8], path: String) throws(ExtractError) {
        if head.isEmpty {
            throw ExtractError(.cannotRead, file: path, "the file is empty: not an .xlsx workbook")
        }
        // An OLE2 compound file: a legacy .xls, or an .xlsx encrypted with a password (Excel
        // then wraps the package in a compound file with an EncryptionInfo stream).
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            throw ExtractError(
                .unsupported, file: path,
                """
                .xls (Excel 97-2003) or password-protected workbook: open it in Excel/LibreOffice and save \
                as .xlsx, or `libreoffice --headless --convert-to xlsx FILE`
                """)
        }
        // A local file header, or the end record of an empty archive.
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return }
        let looksLikeText = head.allSatisfy { $0 >= 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        throw ExtractError(
            .unsupported, file: path,
            looksLikeText
                ? "not an .xlsx workbook but text (CSV, HTML or XML with an .xlsx name?): set the source's format to match"
                : "not an .xlsx workbook: the file is not a zip archive")
    }
}
