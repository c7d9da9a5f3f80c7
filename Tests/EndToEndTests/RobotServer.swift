import Foundation

/// A chat robot on 127.0.0.1 (Python's http.server) that answers every POST with errcode 0 and
/// records each request with the time it came, so that tests read the exact payloads and pacing.
final class RobotServer {
    struct Request: Decodable {
        var path: String
        var body: String
        var at: Double

        var json: NSDictionary { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? NSDictionary ?? [:] }
    }

    let port: Int
    private let process: Process
    private let log: URL

    private static let script = """
        import json, os, signal, sys, threading, time
        from http.server import BaseHTTPRequestHandler, HTTPServer
        log = sys.argv[1]
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
                with open(log, "a") as f:
                    f.write(json.dumps({"path": self.path, "body": body, "at": time.time()}) + "\\n")
                data = b'{"errcode":0,"errmsg":"ok"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            def log_message(self, *args):
                pass
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
        threading.Timer(120, os._exit, [0]).start()
        server = HTTPServer(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """

    init() throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("crmbridge-robot-\(UUID().uuidString).jsonl")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, log.path]
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

    var url: String { "http://127.0.0.1:\(port)" }

    var requests: [Request] {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Request.self, from: Data($0.utf8)) }
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: log)
    }
}
