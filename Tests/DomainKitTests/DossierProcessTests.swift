import DomainKit
import Foundation
import Testing

@Suite("Internal process of a dossier")
struct DossierProcessTests {
    let calendar = WorkingCalendar.vietnam
    let steps = [
        Procedure.Step(title: "Tiếp nhận", performer: "officer", sharePercent: 10),
        Procedure.Step(title: "Thẩm định", performer: "officer", sharePercent: 60),
        Procedure.Step(title: "Sở kiểm tra", performer: "000.00.06.H33", sharePercent: 10),
        Procedure.Step(title: "Lãnh đạo ký", performer: "leader", sharePercent: 20),
    ]

    @Test func eachStepHasItsShareOfTheLegalTimeInWorkingDays() throws {
        // Ten working days: the intake step has one, the review six; received Monday 2 March 2026 at 08:00.
        let process = try #require(DossierProcess(steps: self.steps, homeAgency: "H", at: vn(2026, 3, 2, 8), processingDays: 10, calendar: self.calendar))
        #expect(process.current == 0)
        #expect(process.dueAt == vn(2026, 3, 3, 8))
        #expect(self.steps.map { DossierProcess.allowanceDays(of: $0, processingDays: 10) } == [1, 6, 1, 2])
        #expect(self.steps.map { DossierProcess.allowanceDays(of: $0, processingDays: 10) }.reduce(0, +) == 10)
    }

    @Test func handingOnRecordsWhoWhenAndWhetherTheStepKeptItsTime() throws {
        var process = try #require(DossierProcess(steps: self.steps, homeAgency: "H", at: vn(2026, 3, 2, 8), processingDays: 10, calendar: self.calendar))
        process.move(to: 1, .forward, by: "bich", handedTo: "duc", reason: nil, at: vn(2026, 3, 2, 10), calendar: self.calendar)
        // Six working days from Monday 10:00 is Tuesday of the next week at 10:00.
        #expect(process.dueAt == vn(2026, 3, 10, 10))
        // Done late (Wednesday of the next week): the record says so; the next step starts with its full allowance.
        process.move(to: 2, .forward, by: "duc", handedTo: nil, reason: nil, at: vn(2026, 3, 11, 9), calendar: self.calendar)
        #expect(process.log.map(\.late) == [false, true])
        #expect(process.log.map(\.by) == ["bich", "duc"])
        #expect(process.log[0].handedTo == "duc")
        #expect(process.agency(of: 2) == "000.00.06.H33")
        #expect(process.agency(of: 3) == "H")
        // Sent back with the reason, then finished.
        process.move(to: 1, .back, by: "lan", handedTo: "duc", reason: "Thiếu sơ đồ thửa đất", at: vn(2026, 3, 11, 14),
                     calendar: self.calendar)
        #expect(process.log.last?.move == .back)
        #expect(process.log.last?.reason == "Thiếu sơ đồ thửa đất")
        #expect(process.log.last?.agencyCode == "000.00.06.H33")
        process.finish(.done, by: "bich", at: vn(2026, 3, 12, 9))
        #expect(process.isFinished)
        // Finishing twice records nothing more.
        process.finish(.done, by: "bich", at: vn(2026, 3, 12, 10))
        #expect(process.log.count == 4)
    }

    @Test func aSupplementWaitGivesTheStepTheTimeItTook() throws {
        var process = try #require(DossierProcess(steps: self.steps, homeAgency: "H", at: vn(2026, 3, 2, 8), processingDays: 10, calendar: self.calendar))
        let due = process.dueAt
        // Paused Monday 16:00 to Tuesday 08:00: two working hours.
        process.resume(pausedAt: vn(2026, 3, 2, 16), resumedAt: vn(2026, 3, 3, 8), calendar: self.calendar)
        #expect(process.dueAt == self.calendar.adding(workingMinutes: 120, to: due))
    }

    @Test func aDossierFromBeforeProcessesIsPlacedByItsStatus() throws {
        let at = vn(2026, 3, 2, 8)
        func adopted(_ status: DossierStatus) -> Int? {
            DossierProcess(adopting: self.steps, homeAgency: "H", status: status, at: at, processingDays: 10, calendar: self.calendar)?.current
        }
        #expect(adopted(.received) == 0)
        #expect(adopted(.processing) == 1)
        #expect(adopted(.resultReady) == 3)
        #expect(DossierProcess(steps: [], homeAgency: "H", at: at, processingDays: 1, calendar: self.calendar) == nil)
    }

    @Test func stepsSayWhoDoesThem() {
        #expect(self.steps.map(\.role) == [.officer, .officer, .officer, .leader])
        #expect(self.steps.map(\.agencyCode) == [nil, nil, "000.00.06.H33", nil])
    }
}
