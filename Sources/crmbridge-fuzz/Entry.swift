import Glibc

// Two builds of one executable. `make fuzz` compiles it with `-sanitize=fuzzer,address` and
// `-DFUZZING`: libFuzzer provides `main` and calls the two functions below, and the target comes
// from CRMBRIDGE_FUZZ_TARGET. Every other build (`swift build`, the tests) makes it a replayer,
// `crmbridge-fuzz TARGET FILE…`, which runs each file through the target once: a finding
// reproduces in a debug build, under a debugger, without the fuzzer.

#if FUZZING
nonisolated(unsafe) private var selected: FuzzTarget?

/// libFuzzer's driver, for when the executable's `main` is ours: SwiftPM links every executable
/// with `main` standing for `<module>_main`, so libFuzzer's own `main` is never linked in.
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

@_cdecl("crmbridge_fuzz_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var argc = argc
    var argv = argv
    return runDriver(&argc, &argv) { data, size in fuzzerTestOneInput(data, size) }
}

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> Int32 {
    let name = getenv("CRMBRIDGE_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let target = FuzzTarget.named(name) else {
        printError("crmbridge-fuzz: set CRMBRIDGE_FUZZ_TARGET to one of the \(FuzzTarget.usage)\n")
        exit(64)
    }
    selected = target
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    selected!.run(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    return 0
}
#else
@main
enum Replayer {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let name = arguments.first, let target = FuzzTarget.named(name), arguments.count >= 2 else {
            printError(
                """
                usage: crmbridge-fuzz TARGET FILE|FOLDER…   runs each file (each file of a folder) through TARGET once
                \(FuzzTarget.usage)
                (`make fuzz` builds the fuzzer from the same sources: scripts/fuzz.sh)

                """)
            exit(64)
        }
        var count = 0
        for path in arguments.dropFirst() {
            for file in files(at: path) {
                guard let bytes = readAll(file) else {
                    printError("crmbridge-fuzz: cannot read \(file)\n")
                    exit(66)
                }
                printError("crmbridge-fuzz \(target.name): \(file) (\(bytes.count) bytes)\n")
                bytes.withUnsafeBytes { target.run($0) }
                count += 1
            }
        }
        print("crmbridge-fuzz \(target.name): \(count) inputs, every invariant held")
    }

    /// A file, or the files of a folder (not its subfolders, nor hidden files), sorted.
    private static func files(at path: String) -> [String] {
        guard let folder = opendir(path) else { return [path] }
        defer { closedir(folder) }
        var names: [String] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            var info = stat()
            if !name.hasPrefix("."), stat("\(path)/\(name)", &info) == 0, info.st_mode & S_IFMT == S_IFREG {
                names.append(name)
            }
        }
        return names.sorted().map { "\(path)/\($0)" }
    }

    private static func readAll(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            bytes += chunk[..<count]
            if count < chunk.count { return ferror(file) == 0 ? bytes : nil }
        }
    }
}
#endif
