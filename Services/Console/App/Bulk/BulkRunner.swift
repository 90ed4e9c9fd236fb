import Contracts
import DomainKit
import Foundation
import Logging
import ServiceKit
import ServiceLifecycle

/// Runs the bulk assignments leaders start, in the background, one dossier at a time with the leader's own token (so
/// single-window checks each one as if they had clicked it). A dossier single-window refuses is recorded with its
/// reason; while a service does not answer the runner waits and tries the same dossier again; when the leader's
/// session ends the job stops there. Each dossier's outcome is kept as it happens, so after a crash the job goes on
/// from the first one not recorded (one assigned just before the crash is found assigned, not refused).
struct BulkRunner: Service {
    let jobs: BulkJobs
    let renewal: TokenRenewal
    let desk: SingleWindowDesk
    let now: @Sendable () -> Date
    let logger: Logger
    var idle: Duration = .milliseconds(500)
    var retry: Duration = .seconds(2)

    /// Why a job waits or stopped, kept as a code and said in the reader's language on the progress page.
    enum Note: String {
        case serviceDown = "service-down"
        case signedOut = "signed-out"
        case tooMany = "too-many"
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await pollUntilCancelled(idle: self.idle, logger: self.logger, failure: "a bulk assignment could not go on") {
                guard let job = try await self.jobs.claim(now: self.now()) else { return false }
                do {
                    try await self.work(job)
                } catch {
                    // Whatever stopped this pass (the console's own database, shutting down), another pass or instance
                    // takes the job up again from its first unrecorded dossier; let go of it even while being
                    // cancelled (a task of its own is not), else others wait for the lease to run out.
                    await Task { try? await self.jobs.release(job.id) }.value
                    if error is CancellationError { return false }
                    throw error
                }
                return true
            }
        }
    }

    func work(_ job: BulkJob) async throws {
        let requestID = "bulk-" + job.id.prefix(8)
        if job.state == .listing {
            guard try await self.list(job, requestID: requestID) else { return }
        }
        while !Task.isCancelled {
            let pending = try await self.jobs.pending(of: job.id, limit: 50)
            guard !pending.isEmpty else {
                try await self.jobs.finish(job.id, .done, note: nil, now: self.now())
                return
            }
            var index = 0
            while index < pending.count {
                guard !Task.isCancelled else { break }
                switch try await self.assign(pending[index], of: job, requestID: requestID) {
                case .recorded: index += 1
                case .stopped: return
                case .wait:
                    try await self.jobs.renew(job.id, waiting: .serviceDown, now: self.now())
                    try await Task.sleep(for: self.retry)
                }
                try await self.jobs.renew(job.id, now: self.now())
            }
        }
        await Task { try? await self.jobs.release(job.id) }.value
    }

    enum Step { case recorded, wait, stopped }

    /// One dossier to the officer, its outcome recorded; `wait` when a service did not answer (nothing recorded).
    func assign(_ item: BulkItem, of job: BulkJob, requestID: String) async throws -> Step {
        let token: String
        do {
            guard let fresh = try await self.token(for: job, requestID: requestID) else { return .stopped }
            token = fresh
            _ = try await self.desk.assign(item.dossierID, to: job.officer, expectedVersion: item.expectedVersion, as: token, requestID: requestID)
        } catch let problem as Problem where problem.statusCode == 409 {
            // Changed since the leader saw it: refused, unless the change was this very assignment, made just before a
            // restart and not yet recorded.
            if let current = try? await self.currentAssignee(of: item, job: job, requestID: requestID), current == job.officer {
                try await self.jobs.record(.assigned, detail: nil, position: item.position, of: job.id)
            } else {
                try await self.jobs.record(.refused, detail: problem.detail, position: item.position, of: job.id)
            }
            return .recorded
        } catch let problem as Problem where problem.isFinalRefusal {
            try await self.jobs.record(.refused, detail: problem.detail, position: item.position, of: job.id)
            return .recorded
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            self.logger.info("a bulk assignment waits for a service", metadata: ["job": "\(job.id)", "error": "\(error)"])
            return .wait
        }
        try await self.jobs.record(.assigned, detail: nil, position: item.position, of: job.id)
        return .recorded
    }

    private func currentAssignee(of item: BulkItem, job: BulkJob, requestID: String) async throws -> String? {
        guard let token = try await self.token(for: job, requestID: requestID) else { return nil }
        return try await self.desk.dossier(item.dossierID, as: token, requestID: requestID).assignedTo
    }

    /// The leader's token, renewed when it is about to end; nil (the job stopped) when their session is over.
    private func token(for job: BulkJob, requestID: String) async throws -> String? {
        switch try await self.renewal.fresh(hash: job.sessionHash, clientAddress: job.clientAddress, requestID: requestID) {
        case .fresh(let session): return session.accessToken
        case .ended:
            try await self.jobs.finish(job.id, .stopped, note: Note.signedOut.rawValue, now: self.now())
            return nil
        }
    }

    /// Lists every dossier of the job's filtered queue (keyset pages of a hundred) as its items; false when the job
    /// stopped instead (the session ended, or the list is longer than one job may take).
    func list(_ job: BulkJob, requestID: String) async throws -> Bool {
        var items: [BulkItem] = []
        var after: String?
        while !Task.isCancelled {
            guard let token = try await self.token(for: job, requestID: requestID) else { return false }
            let query = (job.listQuery ?? "") + "&pageSize=100" + (after.map { "&after=" + FormEncoding.encode($0) } ?? "")
            let page: InboxPage
            do {
                page = try await self.desk.inbox(query, as: token, requestID: requestID)
            } catch let problem as Problem where problem.isFinalRefusal {
                try await self.jobs.finish(job.id, .stopped, note: problem.detail, now: self.now())
                return false
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                try await self.jobs.renew(job.id, waiting: .serviceDown, now: self.now())
                try await Task.sleep(for: self.retry)
                continue
            }
            let first = items.count
            items += page.items.enumerated().map { offset, item in
                BulkItem(position: first + offset, dossierID: item.id, code: item.code, expectedVersion: item.version ?? -1, outcome: nil, detail: nil)
            }
            guard items.count <= self.jobs.limit else {
                try await self.jobs.finish(job.id, .stopped, note: Note.tooMany.rawValue, now: self.now())
                return false
            }
            guard let next = page.nextCursor else {
                try await self.jobs.listed(job.id, items: items)
                return true
            }
            after = next
            try await self.jobs.renew(job.id, now: self.now())
        }
        return false
    }
}
