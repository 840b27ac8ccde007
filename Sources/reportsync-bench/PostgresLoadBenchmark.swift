import AsyncHTTPClient
import Foundation
import Store
import StorePostgres
import SyncCore
import SyncService

/// The load of `LoadBenchmark` (devices pushing one change and pulling, round after round) against
/// real `syncd serve` processes: a SQLite central, then one and then two servers on one PostgreSQL
/// database (each device talking to one of the two), each on its own copy of the same central in the
/// same run. The goal: two servers ≥ 1.5× one server's rounds/s (docs/postgres.md).
enum PostgresLoadBenchmark {
    struct Result: Codable {
        let sqlite: LoadBenchmark.Rounds
        let postgresOneServer: LoadBenchmark.Rounds
        let postgresTwoServers: LoadBenchmark.Rounds
        /// Two servers' rounds/s over one server's (goal ≥ 1.5).
        let twoOverOne: Double
        /// One PostgreSQL server's rounds/s over the SQLite central's.
        let oneOverSQLite: Double
    }

    static func run(devices: Int, rounds: Int, cluster: String, in directory: URL) async throws -> Result? {
        guard let syncd = SyncdProcess.binary else {
            print("load on PostgreSQL: needs syncd beside this program (swift build -c release)")
            return nil
        }
        let path = directory.appendingPathComponent("central-postgres-load.sqlite").path
        let center = try CentralReplica.create(at: path, bureau: OrgUnit(id: "bureau", name: "bureau", kind: .centralOffice))
        let tokens = try LoadBenchmark.enrollDevices(devices, at: center)
        // Copies made before any load, so that every run starts from the same central.
        var copies: [PostgresAddress] = []
        for _ in 0..<2 {
            let address = try await PostgresPushBenchmark.freshDatabase(on: cluster)
            _ = try await CentralMigration.copy(from: center, to: address)
            copies.append(address)
        }
        try center.replica.close()
        let http = LoadBenchmark.httpClient(devices: devices)
        do {
            let sqlite = try await load([(path, [:])], tokens: tokens, rounds: rounds, syncd: syncd, http: http)
            let one = try await load([copies[0].forChildProcess], tokens: tokens, rounds: rounds, syncd: syncd, http: http)
            let two = try await load(
                [copies[1].forChildProcess, copies[1].forChildProcess], tokens: tokens, rounds: rounds, syncd: syncd, http: http)
            try await http.shutdown()
            for copy in copies { await PostgresPushBenchmark.dropDatabase(copy, on: cluster) }
            return Result(
                sqlite: sqlite, postgresOneServer: one, postgresTwoServers: two, twoOverOne: two.roundsPerSecond / one.roundsPerSecond,
                oneOverSQLite: one.roundsPerSecond / sqlite.roundsPerSecond)
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    /// Starts one `syncd serve` per entry of `databases` (its `--db` and what its environment adds), spreads
    /// the devices over them, runs the rounds, stops them.
    private static func load(
        _ databases: [(url: String, environment: [String: String])], tokens: [String], rounds: Int, syncd: URL, http: HTTPClient) async throws -> LoadBenchmark.Rounds {
        var servers: [SyncdProcess] = []
        defer { for server in servers { server.stop() } }
        for db in databases {
            servers.append(try await SyncdProcess.start(syncd, db: db.url, environment: db.environment) { SyncClient(baseURL: $0, token: tokens[0], http: http) })
        }
        let clients = try await LoadBenchmark.firstPulls(
            tokens.enumerated().map { d, token in SyncClient(baseURL: "http://127.0.0.1:\(servers[d % servers.count].port)", token: token, http: http) })
        let started = ContinuousClock.now
        let latencies = try await LoadBenchmark.allRounds(clients, rounds: rounds)
        return LoadBenchmark.Rounds(devices: tokens.count, roundsPerDevice: rounds, latencies: latencies, seconds: (ContinuousClock.now - started).seconds)
    }
}
