import Contracts
import ServiceKit

/// The public look-up's answer, written by hand when the dossier changes and kept beside it (`public_view`), so a
/// look-up reads one column and sends it as it is (see `JSONOutput`).
extension DossierLookup {
    var json: JSONOutput {
        var output = JSONOutput()
        output.object { lookup in
            lookup.member("agencyName", self.agencyName)
            lookup.member("code", self.code)
            lookup.member("dueAt", self.dueAt)
            lookup.key("history")
            lookup.array(self.history) { history, step in
                history.object { entry in
                    entry.member("at", step.at)
                    entry.member("status", step.status.rawValue)
                    entry.member("statusName", step.statusName)
                }
            }
            lookup.member("newAppointment", self.newAppointment?.description)
            lookup.member("procedureName", self.procedureName)
            lookup.member("receivedAt", self.receivedAt)
            lookup.member("status", self.status.rawValue)
            lookup.member("statusName", self.statusName)
        }
        return output
    }
}

extension StoredDossier {
    /// What anyone with the code and the phone's last digits sees: progress, no personal data.
    var lookup: DossierLookup {
        DossierLookup(code: self.code, procedureName: self.procedureName, agencyName: self.agencyName ?? self.agencyCode, status: self.status,
                      receivedAt: self.clock.receivedAt, dueAt: self.clock.dueAt, newAppointment: self.apology?.newAppointment,
                      history: self.steps ?? [])
    }

    /// Adds a history entry's status to the public timeline when the status changed (or it is the first entry).
    mutating func record(_ event: DossierEventView) {
        var steps = self.steps ?? []
        if steps.last?.status != event.toStatus || steps.isEmpty { steps.append(DossierLookup.Step(at: event.at, status: event.toStatus)) }
        self.steps = steps
    }
}
