import Foundation

/// A real HTTP server on 127.0.0.1 (Python's http.server in a subprocess) that answers each POST
/// with the next status of `statuses` (the last one repeats) and records every request with the
/// time it came: the alert tests read the exact payloads, the notice tests their pacing too.
public final class LoopbackServer {
    public struct Request: Decodable {
        public var path: String
        public var headers: [String: String]
        public var body: String
        /// Seconds since 1970 when the request came.
        public var at: Double

        /// The body as a JSON object; empty when it is none.
        public var json: NSDictionary {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? NSDictionary ?? [:]
        }
    }

    public let port: Int
    private let process: Process
    private let log: URL

    private static let script = """
        import json, os, signal, sys, threading, time
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        log, statuses, reply = sys.argv[1], [int(s) for s in sys.argv[2].split(",")], sys.argv[3]
        count = 0
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                global count
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
                with open(log, "a") as f:
                    f.write(json.dumps({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                                        "body": body, "at": time.time()}) + "\\n")
                status = statuses[min(count, len(statuses) - 1)]
                count += 1
                data = reply.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            def log_message(self, *args):
                pass
        # Foundation's Process starts children with signals blocked; and a test that crashes must
        # not leave the server behind.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
        threading.Timer(120, os._exit, [0]).start()
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """

    public init(statuses: [Int] = [200], reply: String = #"{"errcode":0,"errmsg":"ok"}"#) throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("crmbridge-loopback-\(UUID().uuidString).jsonl")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, log.path, statuses.map(String.init).joined(separator: ","), reply]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var line = Data()
        while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            kill(process.processIdentifier, SIGKILL)
            throw CocoaError(.fileReadCorruptFile)
        }
        self.port = port
    }

    public var url: String { "http://127.0.0.1:\(port)" }

    public var requests: [Request] {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Request.self, from: Data($0.utf8)) }
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: log)
    }
}

/// A loopback port nothing listens on: bound, then released.
public func closedPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
