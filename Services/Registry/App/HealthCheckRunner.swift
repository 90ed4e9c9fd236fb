import AsyncHTTPClient
import Logging
import ServiceLifecycle

/// Expires TTL checks, reaps long-critical services and runs HTTP checks, a few times a second.
struct HealthCheckRunner: Service {
    let store: RegistryStore
    let http: HTTPClient
    let logger: Logger
    var tick: Duration = .milliseconds(200)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.store.tick()
                let due = await self.store.dueHTTPChecks()
                if !due.isEmpty {
                    await withTaskGroup(of: Void.self) { group in
                        for check in due {
                            group.addTask { await self.probe(id: check.id, url: check.url, timeout: check.timeout) }
                        }
                    }
                }
                try? await Task.sleep(for: self.tick)
            }
        }
    }

    /// Consul's rule: 2xx passing, 429 warning, anything else (or no answer) critical.
    private func probe(id: String, url: String, timeout: Double) async {
        let status: String
        let output: String
        do {
            let response = try await self.http.execute(HTTPClientRequest(url: url), timeout: .milliseconds(Int64(timeout * 1000)))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let code = Int(response.status.code)
            status = (200..<300).contains(code) ? "passing" : code == 429 ? "warning" : "critical"
            output = "HTTP GET \(url): \(code)"
        } catch {
            status = "critical"
            output = "HTTP GET \(url): \(error)"
        }
        _ = await self.store.update(check: id, status: status, output: output)
    }
}
