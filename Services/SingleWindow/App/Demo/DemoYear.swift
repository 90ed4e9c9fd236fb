import Contracts
import DomainKit
import Foundation
import Logging
import ServiceKit
import SQLKit

/// A year of dossiers shaped like the province's 2019 figures (73,502 dossiers: 3,972 online at level 3 and 5,991 at
/// level 4, the rest at the counter and a few by post), spread over the agencies and the procedures each handles, on
/// the working days of the year before today: most settled on time, some late, some refused or withdrawn, the last
/// month's still in every open status, with their histories. `DEMO_DATA=year` loads it into an empty database, in
/// batches, so queues, counts and reports show real numbers on first start. Deterministic (a seeded generator).
struct DemoYear {
    let dossiers: DossierRepository
    let calendar: WorkingCalendar
    static let total = 73_502
    static let onlineLevel4 = 5_991
    static let onlineLevel3 = 3_972
    static let batch = 500

    /// SplitMix64: the same year on every machine.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            self.state &+= 0x9E37_79B9_7F4A_7C15
            var z = self.state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let familyNames = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô", "Dương", "Lý"]
    static let middleNames = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hoài", "Quốc", "Thu", "Hữu", "Kim"]
    static let givenNames = ["An", "Bình", "Châu", "Dũng", "Giang", "Hạnh", "Hùng", "Khánh", "Lan", "Long", "Mai", "Nam", "Ngân", "Phúc",
                             "Quyên", "Sơn", "Tâm", "Thảo", "Trung", "Uyên", "Vy", "Yến"]

    /// Loads `total` dossiers (the province's year by default; the online shares scale with it).
    func load(procedures: [Procedure], agencies: [Agency], now: Date, total: Int = Self.total, logger: Logger, in database: Database) async throws -> Int {
        let onlineLevel4 = Self.onlineLevel4 * total / Self.total
        let onlineLevel3 = Self.onlineLevel3 * total / Self.total
        // Each year's worth over a year of its own: five years' dossiers span five years.
        let years = max(1, (total + Self.total - 1) / Self.total)
        let named = Dictionary(agencies.map { ($0.code, $0.level) }) { first, _ in first }
        // Each agency with the procedures it handles, by level.
        let handled: [(agency: Agency, any: [Procedure], level3: [Procedure], level4: [Procedure])] = agencies.compactMap { agency in
            let own = procedures.filter { IntakeRules.handles($0, agency: agency, namedAgencyLevels: named) }
            guard !own.isEmpty else { return nil }
            return (agency, own, own.filter { $0.serviceLevel == .onlineSubmission }, own.filter { $0.serviceLevel == .fullyOnline }) as (agency: Agency, any: [Procedure], level3: [Procedure], level4: [Procedure])?
        }
        guard !handled.isEmpty else { return 0 }
        var random = Generator(state: 2019)
        var sequences: [String: Int] = [:]
        let today = LocalDate(now)
        var made = 0
        var pending: [(StoredDossier, [DossierEventView])] = []
        // The fees paid (true: through the gateway), which the reports read from `paid_online`.
        var paid: [String: Bool] = [:]
        for index in 0..<total {
            // Online dossiers go to agencies with online procedures of the level; the rest anywhere.
            let level: ServiceLevel? = index < onlineLevel4 ? .fullyOnline : index < onlineLevel4 + onlineLevel3 ? .onlineSubmission : nil
            let choices = handled.filter { level == nil || !(level == .fullyOnline ? $0.level4 : $0.level3).isEmpty }
            guard let place = choices.randomElement(using: &random) else { continue }
            let pool = level == .fullyOnline ? place.level4 : level == .onlineSubmission ? place.level3 : place.any
            guard let procedure = pool.randomElement(using: &random) else { continue }
            let channel: IntakeChannel = level != nil ? .online : (Int.random(in: 0..<100, using: &random) < 2 ? .post : .counter)
            var daysAgo = Int.random(in: 1...(365 * years), using: &random)
            let minute = Int.random(in: 450...990, using: &random)
            var submittedAt = self.calendar.nextWorkingInstant(atOrAfter: today.adding(days: -daysAgo).instant(minutes: minute))
            // A weekend or holiday just before today moves to a working day before it, not after.
            while submittedAt >= now {
                daysAgo += 1
                submittedAt = self.calendar.nextWorkingInstant(atOrAfter: today.adding(days: -daysAgo).instant(minutes: minute))
            }
            let codeDay = LocalDate(submittedAt)
            let key = "\(place.agency.code)|\(codeDay)"
            let sequence = (sequences[key] ?? 0) + 1
            sequences[key] = sequence
            let code = try DossierCode(agencyCode: place.agency.code, day: codeDay, sequence: sequence).description
            let (dossier, history) = self.dossier(index: index, code: code, procedure: procedure, agency: place.agency, channel: channel,
                                                  submittedAt: submittedAt, daysAgo: daysAgo, now: now, random: &random)
            pending.append((dossier, history))
            // Of the settled dossiers whose procedure has fees, most paid online ones paid online, a few at the counter did.
            // (Its own draws, so the year's dossiers stay those of before.)
            var fees = Generator(state: 766 &+ UInt64(index))
            if dossier.status == .delivered, procedure.totalFee.amount > 0, Int.random(in: 0..<100, using: &fees) < (channel == .online ? 85 : 12) {
                paid[dossier.id] = true
            } else if dossier.status == .delivered, procedure.totalFee.amount > 0 {
                paid[dossier.id] = false
            }
            if pending.count == Self.batch || index == total - 1 {
                let rows = pending
                let fees = paid
                try await database.transaction { db in
                    try await self.dossiers.insert(rows.map(\.0), in: db)
                    try await self.dossiers.appendEvents(rows.flatMap { row in row.1.map { ($0, row.0.id) } }, in: db)
                    for online in [true, false] {
                        let ids = fees.filter { $0.value == online }.map(\.key)
                        guard !ids.isEmpty else { continue }
                        try await db.update("dossiers").set("paid_online", to: online ? 1 : 0).where("id", .in, ids).run()
                    }
                }
                made += rows.count
                pending.removeAll(keepingCapacity: true)
                paid.removeAll(keepingCapacity: true)
            }
        }
        // Today's codes start after the year's (no day of the year is today, but keep the sequences true).
        // In batches, one statement each: a round trip per agency and day was most of the load on PostgreSQL.
        let lasts = sequences.sorted { $0.key < $1.key }
        for start in stride(from: 0, to: lasts.count, by: Self.batch) {
            let chunk = lasts[start..<min(start + Self.batch, lasts.count)]
            try await database.transaction { db in
                var insert = db.insert(into: "dossier_sequences").columns("agency_code", "day", "last")
                for (key, last) in chunk {
                    let parts = key.split(separator: "|").map(String.init)
                    insert = insert.values(SQLBind(parts[0]), SQLBind(parts[1]), SQLBind(last))
                }
                try await insert.onConflict(with: ["agency_code", "day"]) { $0.set("last", to: SQLRaw("excluded.last")) }.run()
            }
        }
        logger.info("demo year of dossiers loaded", metadata: ["dossiers": "\(made)"])
        return made
    }

    private func dossier(index: Int, code: String, procedure: Procedure, agency: Agency, channel: IntakeChannel, submittedAt: Date, daysAgo: Int,
                         now: Date, random: inout Generator) -> (StoredDossier, [DossierEventView]) {
        let name = [Self.familyNames.randomElement(using: &random)!, Self.middleNames.randomElement(using: &random)!,
                    Self.givenNames.randomElement(using: &random)!].joined(separator: " ")
        let digits = (0..<8).map { _ in String(Int.random(in: 0...9, using: &random)) }.joined()
        let applicant = Applicant(fullName: name, citizenId: "0911" + digits, phone: "09" + String(digits.reversed()),
                                  address: "Ấp \(Int.random(in: 1...9, using: &random)), \(agency.name)")
        // The demo's people where the agency has them (their queues then name someone one can sign in as).
        let officer = DemoPeople.first(.officer, at: agency.code)?.accountID ?? "demo-officer-\(agency.code)"
        let leader = DemoPeople.first(.leader, at: agency.code)?.accountID ?? "demo-leader-\(agency.code)"
        var history: [DossierEventView] = []
        func event(_ at: Date, _ actor: String, _ role: Role, _ action: DossierAction?, _ from: DossierStatus?, _ to: DossierStatus, _ comment: String? = nil) {
            history.append(DossierEventView(at: at, actor: actor, role: role, agencyCode: agency.code, action: action?.rawValue ?? "submit",
                                            fromStatus: from, toStatus: to, comment: comment))
        }
        let roll = Int.random(in: 0..<1000, using: &random)
        var rounds = 0
        let online = channel == .online
        let receivedAt = online ? self.calendar.adding(workingMinutes: Int.random(in: 10...240, using: &random), to: submittedAt) : submittedAt
        let due = self.calendar.dueDate(receivedAt: receivedAt, workingDays: max(1, procedure.processingDays))
        var clock = DossierClock(receivedAt: receivedAt, dueAt: due)
        var status = DossierStatus.received
        if online { event(submittedAt, "citizen-\(index)", .citizen, nil, nil, .submitted, channel.rawValue) }
        // The last days' online dossiers still wait for intake; refused and withdrawn ones are few.
        if online && daysAgo <= 2 && roll < 600 {
            clock = DossierClock()
            status = .submitted
        } else if roll < 15 {
            event(receivedAt, officer, .officer, .refuse, online ? .submitted : nil, .refused, "Hồ sơ không thuộc thẩm quyền giải quyết.")
            clock = DossierClock(finishedAt: receivedAt)
            status = .refused
        } else {
            event(receivedAt, officer, .officer, .receive, online ? .submitted : nil, .received)
            let start = self.calendar.adding(workingMinutes: Int.random(in: 30...480, using: &random), to: receivedAt)
            let settledDays = Int.random(in: 0...max(0, procedure.processingDays - 1), using: &random)
            let late = roll >= 930
            // On time means before the due date: a short procedure's quick work is still kept within it.
            let finish = late ? self.calendar.adding(workingDays: Int.random(in: 1...3, using: &random), to: due)
                              : max(start, min(due.addingTimeInterval(-600),
                                               self.calendar.adding(workingMinutes: Int.random(in: 60...400, using: &random),
                                                                    to: self.calendar.adding(workingDays: settledDays, to: start))))
            let open: [DossierStatus] = [.received, .processing, .processing, .processing, .supplementRequested, .awaitingFee, .resultReady]
            if finish > now || (daysAgo <= 20 && roll % 3 == 0) {
                // Still open: somewhere on its way, most of them being processed.
                status = open[Int.random(in: 0..<open.count, using: &random)]
                if status != .received { event(min(start, now), officer, .officer, .startProcessing, .received, .processing) }
                switch status {
                case .supplementRequested:
                    event(min(start.addingTimeInterval(3600), now), officer, .officer, .requestSupplement, .processing, .supplementRequested,
                          "Bổ sung bản sao giấy tờ tùy thân.")
                    clock.pausedAt = min(start.addingTimeInterval(3600), now)
                case .awaitingFee:
                    event(min(start.addingTimeInterval(1800), now), officer, .officer, .requestFee, .processing, .awaitingFee)
                    clock.pausedAt = min(start.addingTimeInterval(1800), now)
                case .resultReady:
                    event(min(finish, now), leader, .leader, .markResultReady, .processing, .resultReady)
                default: break
                }
                if status != .received && status != .resultReady && status != .supplementRequested && status != .awaitingFee { status = .processing }
            } else if roll < 25 {
                event(start, officer, .officer, .startProcessing, .received, .processing)
                event(finish, "citizen-\(index)", .citizen, .withdraw, .processing, .withdrawn, "Người nộp xin rút hồ sơ.")
                clock.finishedAt = finish
                status = .withdrawn
            } else {
                event(start, officer, .officer, .startProcessing, .received, .processing)
                // Some were asked for a supplement on the way, a few twice (Decision 766 counts those late). Their own draws.
                var asked = Generator(state: 118 &+ UInt64(index))
                let ask = Int.random(in: 0..<1000, using: &asked)
                rounds = ask < 15 ? 2 : ask < 75 ? 1 : 0
                for round in stride(from: 0, to: rounds, by: 1) {
                    let at = start.addingTimeInterval(Double(60 + round * 60))
                    event(at, officer, .officer, .requestSupplement, .processing, .supplementRequested, "Bổ sung bản sao giấy tờ tùy thân.")
                    event(at.addingTimeInterval(30), "citizen-\(index)", .citizen, .supplement, .supplementRequested, .processing)
                }
                event(finish, leader, .leader, .markResultReady, .processing, .resultReady)
                let delivered = self.calendar.adding(workingMinutes: Int.random(in: 30...600, using: &random), to: finish)
                event(delivered, officer, .officer, .deliver, .resultReady, .delivered)
                clock.finishedAt = finish
                clock.timeliness = finish > due ? .late : self.calendar.adding(workingDays: 1, to: finish) < due ? .early : .onTime
                status = .delivered
            }
        }
        // Open dossiers stand somewhere in their procedure's steps; settled ones date from before processes were kept.
        let process = InboxQuery.open.contains(status) && status != .submitted
            ? self.process(procedure, agency: agency, status: status, receivedAt: receivedAt, now: now, officer: officer, leader: leader,
                           random: &random)
            : nil
        var dossier = StoredDossier(
            id: UUID(uuid: (0xDE, 0x40, UInt8(index >> 16 & 0xFF), UInt8(index >> 8 & 0xFF), UInt8(index & 0xFF), 0x19, 0x40, 0x19,
                            0x80, 0x00, 0, 0, 0, 0, 0, 0)).uuidString.lowercased(),
            code: code, procedureCode: procedure.code, procedureName: procedure.name, processingDays: procedure.processingDays,
            agencyCode: agency.code, channel: channel, status: status, applicant: applicant,
            attachments: procedure.documents.map { Attachment(documentName: $0.name, fileId: nil) }, delivery: .init(method: .counter),
            submittedBy: online ? "citizen-\(index)" : officer, submittedAt: submittedAt, clock: clock, version: history.count,
            assignedTo: status == .submitted ? nil : officer, rating: status == .delivered && index % 7 == 0 ? 4 + index % 2 : nil,
            agencyName: agency.name, steps: history.map { DossierLookup.Step(at: $0.at, status: $0.toStatus) })
        if rounds > 0 { dossier.supplementRounds = rounds }
        // Received under the catalog as loaded (its first version), with that version's fees.
        dossier.procedureVersion = 1
        dossier.fees = procedure.fees
        if let process {
            dossier.process = process
            dossier.assignedTo = process.step.role == .leader ? leader : officer
        }
        return (dossier, history)
    }

    /// The process of an open dossier: received at the first step, processed at one of the middle ones (handed on
    /// every few working hours), a ready result at the last.
    private func process(_ procedure: Procedure, agency: Agency, status: DossierStatus, receivedAt: Date, now: Date, officer: String, leader: String,
                         random: inout Generator) -> DossierProcess? {
        guard var process = DossierProcess(steps: procedure.steps, homeAgency: agency.code, at: min(receivedAt, now),
                                           processingDays: procedure.processingDays, calendar: self.calendar) else { return nil }
        let last = procedure.steps.count - 1
        let target = switch status {
        case .received: 0
        case .resultReady: last
        default: last < 2 ? last : Int.random(in: 1...(last - 1), using: &random)
        }
        var at = process.startedAt
        for index in stride(from: 1, through: target, by: 1) {
            at = min(now, self.calendar.adding(workingMinutes: Int.random(in: 30...900, using: &random), to: at))
            // A step at another agency is left out of the demo's walk: the dossier stays at the agency that received it.
            guard procedure.steps[index].agencyCode == nil else { break }
            process.move(to: index, .forward, by: process.step.role == .leader ? leader : officer,
                         handedTo: procedure.steps[index].role == .leader ? leader : officer, reason: nil, at: at, calendar: self.calendar)
        }
        return process
    }
}
