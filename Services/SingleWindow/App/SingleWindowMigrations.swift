import Contracts
import DomainKit
import Foundation
import ServiceKit
import SQLKit

/// The single-window service's own schema, numbered and append-only.
public enum SingleWindowMigrations {
    public static let all = MigrationSet(scope: "single-window", [
        Migration(1, "agencies") { db, _ in
            try await db.create(table: "agencies")
                .column("code", type: .text, .primaryKey(autoIncrement: false))
                .column("name", type: .text, .notNull)
                .column("name_key", type: .text, .notNull)
                .column("level", type: .text, .notNull)
                .column("parent_code", type: .text)
                .column("email", type: .text, .notNull)
                .column("address", type: .text, .notNull)
                .column("phone", type: .text)
                .run()
            try await db.create(index: "agencies_parent").on("agencies").column("parent_code").run()
        },
        Migration(2, "procedure catalog") { db, _ in
            try await db.create(table: "procedures")
                .column("code", type: .text, .primaryKey(autoIncrement: false))
                .column("name", type: .text, .notNull)
                .column("sector", type: .text, .notNull)
                .column("service_level", type: .bigint, .notNull)
                .column("online_scope", type: .text, .notNull)
                .column("processing_days", type: .bigint, .notNull)
                .column("search_key", type: .text, .notNull)
                .column("body", type: .text, .notNull)
                .column("updated_at", type: .bigint, .notNull)
                .run()
            try await db.create(index: "procedures_sector").on("procedures").column("sector").run()
            try await db.create(index: "procedures_level").on("procedures").column("service_level").run()
            try await db.create(table: "procedure_levels")
                .column("procedure_code", type: .text, .notNull)
                .column("level", type: .text, .notNull)
                .primaryKey(["procedure_code", "level"])
                .run()
            // Agencies named for a procedure; at their level only they carry it out.
            try await db.create(table: "procedure_agencies")
                .column("procedure_code", type: .text, .notNull)
                .column("agency_code", type: .text, .notNull)
                .column("agency_level", type: .text, .notNull)
                .primaryKey(["procedure_code", "agency_code"])
                .run()
            try await db.create(index: "procedure_agencies_agency").on("procedure_agencies").column("agency_code").run()
        },
        Migration(3, "dossiers, their history, daily code sequences, idempotency keys") { db, _ in
            try await db.create(table: "dossiers")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("code", type: .text, .notNull, .unique)
                .column("procedure_code", type: .text, .notNull)
                .column("agency_code", type: .text, .notNull)
                .column("channel", type: .text, .notNull)
                .column("status", type: .bigint, .notNull)
                .column("applicant_phone", type: .text, .notNull)
                .column("submitted_by", type: .text, .notNull)
                .column("submitted_at", type: .bigint, .notNull)
                .column("received_at", type: .bigint)
                .column("due_at", type: .bigint)
                .column("paused_at", type: .bigint)
                .column("finished_at", type: .bigint)
                .column("timeliness", type: .text)
                .column("body", type: .text, .notNull)
                .column("version", type: .bigint, .notNull)
                .run()
            try await db.create(index: "dossiers_agency_status").on("dossiers").column("agency_code").column("status").run()
            try await db.create(index: "dossiers_submitted_by").on("dossiers").column("submitted_by").run()
            try await db.create(table: "dossier_events")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("dossier_id", type: .text, .notNull)
                .column("at", type: .bigint, .notNull)
                .column("body", type: .text, .notNull)
                .run()
            try await db.create(index: "dossier_events_dossier").on("dossier_events").column("dossier_id").column("at").run()
            try await db.create(table: "dossier_sequences")
                .column("agency_code", type: .text, .notNull)
                .column("day", type: .text, .notNull)
                .column("last", type: .bigint, .notNull)
                .primaryKey(["agency_code", "day"])
                .run()
            try await db.create(table: "idempotency_keys")
                .column("subject", type: .text, .notNull)
                .column("key", type: .text, .notNull)
                .column("request_hash", type: .text, .notNull)
                .column("dossier_id", type: .text, .notNull)
                .column("created_at", type: .bigint, .notNull)
                .primaryKey(["subject", "key"])
                .run()
        },
        Migration(4, "assignment, satisfaction and event actions for the inbox and statistics") { db, _ in
            try await db.alter(table: "dossiers").column("assigned_to", type: .text).run()
            try await db.alter(table: "dossiers").column("rating", type: .bigint).run()
            try await db.alter(table: "dossier_events").column("action", type: .text).run()
            try await db.create(index: "dossiers_assigned").on("dossiers").column("assigned_to").run()
            try await db.create(index: "dossier_events_action").on("dossier_events").column("action").column("at").run()
        },
        Migration(5, "deadline watch: due-soon notices and overdue marks, each once") { db, _ in
            try await db.alter(table: "dossiers").column("due_soon_at", type: .bigint).run()
            try await db.alter(table: "dossiers").column("overdue_at", type: .bigint).run()
            try await db.create(index: "dossiers_due").on("dossiers").column("status").column("due_at").run()
        },
        Migration(6, "search results read from columns, not from each procedure's JSON") { db, _ in
            try await db.alter(table: "procedures").column("levels", type: .text).run()
            try await db.alter(table: "procedures").column("total_fee", type: .bigint).run()
            struct Row: Decodable { let code: String; let body: String }
            for row in try await db.select().columns("code", "body").from("procedures").all(decoding: Row.self) {
                let procedure = try JSONDecoder.motcua.decode(Procedure.self, from: Data(row.body.utf8))
                try await db.update("procedures")
                    .set("levels", to: ProcedureRepository.levelsColumn(procedure.levels)).set("total_fee", to: procedure.totalFee.amount)
                    .where("code", .equal, row.code).run()
            }
        },
        Migration(7, "a revision of the catalog, so in-memory copies know when to reload") { db, _ in
            try await db.create(table: "reference_revisions")
                .column("name", type: .text, .primaryKey(autoIncrement: false))
                .column("revision", type: .bigint, .notNull)
                .run()
            try await db.insert(into: "reference_revisions").columns("name", "revision").values(SQLBind("catalog"), SQLBind(1)).run()
        },
        Migration(8, "the public look-up's answer kept beside each dossier") { db, _ in
            try await db.alter(table: "dossiers").column("public_view", type: .text).run()
        },
        Migration(9, "what officers find a dossier by: code, names without diacritics, ID numbers, phone digits") { db, _ in
            try await db.alter(table: "dossiers").column("search_key", type: .text).run()
            struct Row: Decodable { let id: String; let body: String }
            for row in try await db.select().columns("id", "body").from("dossiers").all(decoding: Row.self) {
                let dossier = try JSONDecoder.motcua.decode(StoredDossier.self, from: Data(row.body.utf8))
                try await db.update("dossiers").set("search_key", to: InboxQuery.searchKey(dossier)).where("id", .equal, row.id).run()
            }
        },
        Migration(10, "an inbox row read from columns (procedure, applicant, the step it is at), filtered by step") { db, _ in
            for column in ["procedure_name", "applicant_name", "step_title"] {
                try await db.alter(table: "dossiers").column(column, type: .text).run()
            }
            try await db.alter(table: "dossiers").column("step_due_at", type: .bigint).run()
            struct Row: Decodable { let id: String; let body: String }
            for row in try await db.select().columns("id", "body").from("dossiers").all(decoding: Row.self) {
                let columns = InboxColumns(try JSONDecoder.motcua.decode(StoredDossier.self, from: Data(row.body.utf8)))
                try await db.update("dossiers").set("procedure_name", to: columns.procedureName).set("applicant_name", to: columns.applicantName)
                    .set("step_title", to: SQLBind(columns.stepTitle)).set("step_due_at", to: SQLBind(columns.stepDueAt))
                    .where("id", .equal, row.id).run()
            }
        },
        Migration(11, "an agency's dossiers by when they came in: the settled queue, newest first, years of them") { db, _ in
            try await db.create(index: "dossiers_agency_submitted").on("dossiers").column("agency_code").column("submitted_at").column("id").run()
        },
        Migration(12, "what the reports count kept beside each dossier: when it closed, supplement rounds, digitised, electronic result, paid online") { db, _ in
            try await db.alter(table: "dossiers").column("closed_at", type: .bigint).run()
            for column in ["supplement_rounds", "digitised", "electronic_result"] {
                try await db.alter(table: "dossiers").column(column, type: .bigint, .notNull, .default(0)).run()
            }
            // Written when payments says a fee was paid; dossiers paid before this migration stay unknown.
            try await db.alter(table: "dossiers").column("paid_online", type: .bigint).run()
            struct Row: Decodable { let id: String; let body: String }
            struct Rounds: Decodable { let dossier_id: String; let n: Int }
            // Supplements asked for after receipt (one asked at the counter before it was received is not a round).
            let rounds = try await db.raw("""
                SELECT e.dossier_id, COUNT(*) AS n FROM dossier_events e JOIN dossiers d ON d.id = e.dossier_id
                WHERE e.action = \(bind: DossierAction.requestSupplement.rawValue) AND d.received_at IS NOT NULL AND e.at > d.received_at
                GROUP BY e.dossier_id
                """).all(decoding: Rounds.self)
            let counted = Dictionary(rounds.map { ($0.dossier_id, $0.n) }) { first, _ in first }
            for row in try await db.select().columns("id", "body").from("dossiers").all(decoding: Row.self) {
                var dossier = try JSONDecoder.motcua.decode(StoredDossier.self, from: Data(row.body.utf8))
                var update = db.update("dossiers")
                if dossier.supplementRounds == nil, let rounds = counted[row.id] {
                    // Into the body too, which later writes compute the column from.
                    dossier.supplementRounds = rounds
                    update = update.set("body", to: try DossierRepository.body(dossier))
                }
                let report = ReportColumns(dossier)
                try await update.set("closed_at", to: SQLBind(report.closedAt)).set("supplement_rounds", to: report.supplementRounds)
                    .set("digitised", to: report.digitised).set("electronic_result", to: report.electronicResult)
                    .where("id", .equal, row.id).run()
            }
            // The two ranges a report reads, each holding every column its counts read (no table row is visited): the
            // settled queue's keyset index by submission, widened, and one by closing.
            try await db.drop(index: "dossiers_agency_submitted").run()
            try await db.create(index: "dossiers_agency_submitted").on("dossiers")
                .column("agency_code").column("submitted_at").column("id").column("channel").column("digitised").column("paid_online")
                .column("procedure_code").run()
            try await db.create(index: "dossiers_agency_closed").on("dossiers")
                .column("agency_code").column("closed_at").column("status").column("timeliness").column("supplement_rounds")
                .column("electronic_result").column("rating").column("submitted_at").column("procedure_code").run()
        },
        Migration(13, "the catalog's versions: every published wording of a procedure kept, dossiers keep the version they came in under") { db, _ in
            try await db.alter(table: "procedures").column("version", type: .bigint, .notNull, .default(1)).run()
            try await db.create(table: "procedure_versions")
                .column("code", type: .text, .notNull)
                .column("version", type: .bigint, .notNull)
                .column("body", type: .text, .notNull)
                .column("published_at", type: .bigint, .notNull)
                .column("published_by", type: .text)
                .primaryKey(["code", "version"])
                .run()
            try await db.raw("INSERT INTO procedure_versions (code, version, body, published_at) SELECT code, 1, body, updated_at FROM procedures").run()
        },
        Migration(14, "the audit trail searched by person: who took each action on a dossier, as a column of its history") { db, _ in
            try await db.alter(table: "dossier_events").column("actor", type: .text).run()
            struct Row: Decodable { let id: String; let body: String }
            for row in try await db.select().columns("id", "body").from("dossier_events").all(decoding: Row.self) {
                let event = try JSONDecoder.motcua.decode(DossierEventView.self, from: Data(row.body.utf8))
                try await db.update("dossier_events").set("actor", to: event.actor).where("id", .equal, row.id).run()
            }
            try await db.create(index: "dossier_events_actor").on("dossier_events").column("actor").column("at").run()
        },
    ])
}
