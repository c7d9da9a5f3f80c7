import Foundation

/// A throwaway PostgreSQL server for the tests: `initdb` into a fresh folder, `pg_ctl start` on
/// a free port with its socket in that folder and `fsync=off`. As root, the server binaries run
/// through `runuser -u postgres` (PostgreSQL refuses to run as root). One server serves a whole
/// test process (`shared`), each test in a schema of its own; it is stopped and its folder
/// removed when the process exits, and by a watchdog should the process die without exiting.
///
/// No silent skip: when the server cannot start, `shared` throws why, and the test fails.
package final class PostgresTestServer: @unchecked Sendable {
    package let folder: URL
    package let port: Int
    /// A role that logs in over TCP with a password (the tests of authentication and masking).
    package static let passwordRole = (name: "crm_etl", password: "s3cret-pw")

    private static let binaries = "/usr/lib/postgresql/15/bin"
    nonisolated(unsafe) private static var started: Result<PostgresTestServer, PostgresTestServerError>?
    private static let lock = NSLock()

    /// The process's server, started on first use.
    package static func shared() throws -> PostgresTestServer {
        lock.lock()
        defer { lock.unlock() }
        if started == nil {
            started = Result { () throws(PostgresTestServerError) in try PostgresTestServer() }
            if case .success = started {
                atexit { if case .success(let server) = PostgresTestServer.started { server.stop() } }
            }
        }
        return try started!.get()
    }

    /// A server of its own, for a test that stops it; `stop()` it when done.
    package static func dedicated() throws -> PostgresTestServer { try PostgresTestServer() }

    /// A store URL on this server, through its socket, in schema `schema`.
    package func url(schema: String) -> String {
        "postgresql:///postgres?host=\(folder.path)&port=\(port)&user=postgres&schema=\(schema)"
    }

    /// The same over TCP as `passwordRole` with `password` in the URL.
    package func passwordURL(schema: String, password: String = passwordRole.password) -> String {
        "postgres://\(Self.passwordRole.name):\(password)@127.0.0.1:\(port)/postgres?sslmode=disable&schema=\(schema)"
    }

    /// A fresh schema name for one test.
    package static func schema() -> String {
        "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
    }

    private init() throws(PostgresTestServerError) {
        let root = getuid() == 0
        // Under /tmp, not $TMPDIR: the tests' scratch folder is private to root, and the server
        // runs as postgres. The socket path must stay under 108 bytes.
        folder = URL(fileURLWithPath: "/tmp/crmbridge-pg-\(UUID().uuidString.prefix(8).lowercased())")
        port = Self.freePort()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            if root {
                try Self.run("/bin/chown", ["postgres:postgres", folder.path], as: false)
            }
            let data = folder.appendingPathComponent("data").path
            try Self.run(
                "\(Self.binaries)/initdb",
                [
                    "-D", data, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                    "--locale=C.UTF-8", "--no-sync",
                ], as: root)
            let options =
                "-p \(port) -k \(folder.path) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
                + "-c full_page_writes=off -c max_connections=60"
            try Self.run(
                "\(Self.binaries)/pg_ctl",
                ["-D", data, "-l", folder.appendingPathComponent("log").path, "-o", options, "-w", "-t", "30", "start"],
                as: root)
            watch()
            try Self.run(
                "\(Self.binaries)/psql",
                [
                    "-h", folder.path, "-p", String(port), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1",
                    "-c",
                    "CREATE ROLE \(Self.passwordRole.name) LOGIN PASSWORD '\(Self.passwordRole.password)'; "
                        + "GRANT CREATE ON DATABASE postgres TO \(Self.passwordRole.name)",
                ], as: false)
        } catch {
            let log = (try? String(contentsOf: folder.appendingPathComponent("log"), encoding: .utf8)) ?? ""
            stop()
            throw PostgresTestServerError(message: "\(error)\(log.isEmpty ? "" : "\nserver log:\n\(log)")")
        }
    }

    /// Runs SQL through psql as the superuser and returns its rows, unaligned (`|` between columns).
    @discardableResult
    package func psql(_ sql: String) throws -> String {
        try Self.run(
            "\(Self.binaries)/psql",
            [
                "-h", folder.path, "-p", String(port), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-At", "-c",
                sql,
            ],
            as: false
        ).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Takes the lock a batch into `schema` takes, on a session of its own, as another runner's
    /// batch would, and holds it until the returned function ends that session.
    package func holdStoreLock(schema: String) throws -> () -> Void {
        let name = "lock-holder-" + UUID().uuidString.prefix(8).lowercased()
        let connection = "host=\(folder.path) port=\(port) user=postgres dbname=postgres application_name=\(name)"
        let sql = "SELECT pg_advisory_lock(hashtextextended('crmbridge store \(schema)', 0)); SELECT pg_sleep(3600)"
        guard let child = Self.spawn("\(Self.binaries)/psql", [connection, "-c", sql], output: "/dev/null") else {
            throw PostgresTestServerError(message: "cannot run psql")
        }
        let held = """
            SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = '\(name)'
            """
        let deadline = Date().addingTimeInterval(30)
        while try psql(held) == "0" {
            guard Date() < deadline else { throw PostgresTestServerError(message: "the lock of \(schema) was not granted") }
            usleep(20_000)
        }
        return { [self] in
            _ = try? psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '\(name)'")
            var status: Int32 = 0
            while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        }
    }

    /// Stops the server as an administrator would (`pg_ctl stop -m fast`: sessions are cut off).
    package func stopFast() throws {
        try Self.run(
            "\(Self.binaries)/pg_ctl", ["-D", folder.appendingPathComponent("data").path, "-m", "fast", "-w", "stop"],
            as: getuid() == 0)
    }

    /// Stops the server at once and removes its folder.
    package func stop() {
        _ = try? Self.run(
            "\(Self.binaries)/pg_ctl", ["-D", folder.appendingPathComponent("data").path, "-m", "immediate", "-w", "stop"],
            as: getuid() == 0)
        try? FileManager.default.removeItem(at: folder)
    }

    /// Stops the server when this process is gone, however it ended (a crash runs no atexit).
    private func watch() {
        let stop =
            "\(getuid() == 0 ? "runuser -u postgres -- " : "")\(Self.binaries)/pg_ctl -D \(folder.path)/data -m immediate stop"
        let script = "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; \(stop) >/dev/null 2>&1; rm -rf \(folder.path)"
        _ = Self.spawn("/bin/sh", ["-c", script], output: "/dev/null")
    }

    /// Runs a program (as postgres when `as` and root) and fails with its output.
    @discardableResult
    private static func run(_ program: String, _ arguments: [String], as postgres: Bool) throws(PostgresTestServerError) -> String
    {
        // A file, not a pipe: the server pg_ctl starts would hold a pipe open, and reading it would never end.
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("pg-\(UUID().uuidString).out").path
        defer { unlink(output) }
        let (path, all) = postgres ? ("/usr/sbin/runuser", ["-u", "postgres", "--", program] + arguments) : (program, arguments)
        guard let child = spawn(path, all, output: output) else {
            throw PostgresTestServerError(message: "cannot run \(program) (is the postgresql package installed?)")
        }
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        // WIFEXITED and WEXITSTATUS, which Swift does not import.
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw PostgresTestServerError(
                message: "\(URL(fileURLWithPath: program).lastPathComponent) failed (\(status)): \(text)")
        }
        return text
    }

    /// Starts `path` with its output into the file `output`; its process id, nil when it cannot start.
    /// posix_spawn rather than Foundation's Process, whose wait hung under the test runner.
    ///
    /// The child closes every descriptor past stderr before it runs `path`. Tests run at once,
    /// and the pipes another test has just made for a crmbridge it runs are inherited by
    /// whatever starts meanwhile: the watcher and the server live as long as the test process,
    /// so that test never read the end of its child's output and hung (Foundation's pipes are
    /// not close-on-exec, and Swift does not import `posix_spawn_file_actions_addclosefrom_np`).
    private static func spawn(_ path: String, _ arguments: [String], output: String) -> pid_t? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // bash: dash closes only descriptors 0-9 by number.
        let closeInherited = #"for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && exec {fd}>&-; done; exec "$0" "$@""#
        let argv = (["/bin/bash", "-c", closeInherited, path] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var child: pid_t = 0
        guard posix_spawn(&child, "/bin/bash", &actions, nil, argv, environ) == 0 else { return nil }
        return child
    }

    /// A TCP port nobody listens on now: the kernel's pick for port 0.
    private static func freePort() -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length)
                return getsockname(descriptor, pointer, &length)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Why the test server could not start (or a command against it failed).
package struct PostgresTestServerError: Error, CustomStringConvertible {
    package var message: String
    package var description: String { "PostgreSQL test server: \(message)" }
}
