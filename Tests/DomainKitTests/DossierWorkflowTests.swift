import DomainKit
import Testing

@Suite("Dossier status machine")
struct DossierWorkflowTests {
    @Test func codesAreThoseOfTheNationalPortal() {
        #expect(DossierStatus.allCases.map(\.rawValue) == Array(1...10))
        #expect(DossierStatus.withdrawn.rawValue == 7)
        #expect(DossierStatus.delivered.rawValue == 10)
    }

    @Test func theHappyPathOfAnOnlineDossier() throws {
        var status = DossierStatus.submitted
        status = try DossierWorkflow.apply(.receive, to: status, by: .officer)
        status = try DossierWorkflow.apply(.startProcessing, to: status, by: .officer)
        status = try DossierWorkflow.apply(.requestSupplement, to: status, by: .officer)
        #expect(status.pausesClock)
        status = try DossierWorkflow.apply(.supplement, to: status, by: .citizen)
        status = try DossierWorkflow.apply(.requestFee, to: status, by: .officer)
        status = try DossierWorkflow.apply(.confirmFee, to: status, by: .service)
        status = try DossierWorkflow.apply(.markResultReady, to: status, by: .leader)
        status = try DossierWorkflow.apply(.deliver, to: status, by: .officer)
        #expect(status == .delivered)
        #expect(status.isFinal)
    }

    @Test("an applicant may withdraw before the result, never after", arguments: DossierStatus.allCases)
    func withdrawal(status: DossierStatus) {
        let allowed = DossierWorkflow.actions(from: status, by: .citizen).contains(.withdraw)
        let expected: Set<DossierStatus> = [.submitted, .received, .processing, .supplementRequested, .awaitingFee]
        #expect(allowed == expected.contains(status))
    }

    @Test func refusalsSayWhatIsAllowed() {
        #expect(throws: DossierWorkflow.Refusal.notAllowedFrom(.delivered, .receive)) {
            try DossierWorkflow.apply(.receive, to: .delivered, by: .officer)
        }
        do {
            _ = try DossierWorkflow.apply(.stop, to: .processing, by: .officer)
            Issue.record("an officer stopped a dossier")
        } catch {
            #expect(error.description.contains("leader"))
        }
        let refusal = DossierWorkflow.Refusal.notAllowedFrom(.received, .deliver)
        #expect(refusal.description.contains("startProcessing"))
    }

    @Test func finalStatuses() {
        let finals = DossierStatus.allCases.filter(\.isFinal)
        #expect(Set(finals) == [.refused, .withdrawn, .stopped, .delivered])
    }

    @Test func citizensCannotActForOfficers() {
        #expect(DossierWorkflow.actions(from: .submitted, by: .citizen) == [.withdraw])
        #expect(DossierWorkflow.actions(from: .processing, by: .citizen) == [.withdraw])
    }
}

@Suite("Transfers in the workflow")
struct TransferWorkflowTests {
    @Test func aTransferKeepsTheStatusAndIsForStaffBeforeTheResult() throws {
        #expect(try DossierWorkflow.apply(.transfer, to: .received, by: .officer) == .received)
        #expect(try DossierWorkflow.apply(.transfer, to: .processing, by: .leader) == .processing)
        #expect(throws: DossierWorkflow.Refusal.self) { try DossierWorkflow.apply(.transfer, to: .processing, by: .citizen) }
        for status in [DossierStatus.submitted, .supplementRequested, .awaitingFee, .resultReady, .delivered] {
            #expect(!DossierWorkflow.actions(from: status).contains(.transfer))
        }
    }
}
