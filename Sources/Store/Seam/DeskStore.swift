import Foundation
import SyncCore

/// What the central office's web desk (`Desk`) needs from the central store: its members' sign-in,
/// its server-side sessions, the reports it shows and the steps it records. Every method is
/// asynchronous, like `CentralStore`, so a store on a database server can stand behind it; every step
/// goes through the same checks and signing as the command line's.
public protocol DeskStore: Sendable {
    /// Starts a sign-in try for `member`: counts it as wrong before the password is even checked (so
    /// tries in parallel each count) and returns the member with their password hash; throws
    /// `DeskSignInRefusal` when nobody of that name may sign in, or the member must wait.
    func beginDeskSignIn(member: String) async throws -> DeskAccount
    /// Clears `member`'s wrong tries after a right password.
    func deskSignInSucceeded(member: String) async throws
    /// The member a session belongs to, as the store holds them now (a removed member or one who may
    /// no longer use the desk ends every session of theirs).
    func deskMember(_ id: String) async throws -> Member?

    /// A session's JSON and when it ends, by the SHA-256 of its id.
    func deskSession(keyHash: String) async throws -> (value: String, expiresAt: Date?)?
    /// Stores a session's JSON (`expiresAt` nil keeps the end it had).
    func saveDeskSession(keyHash: String, value: String, expiresAt: Date?) async throws
    /// Ends a session.
    func removeDeskSession(keyHash: String) async throws

    /// The bureau's time zone (its policy's), in which the desk shows every time.
    func deskTimeZone() async throws -> TimeZone
    /// A page of the reports `filter` finds (by default those received and not decided yet), most urgent first.
    func deskInbox(_ filter: DeskInboxFilter) async throws -> DeskInboxPage
    /// The deadlines missed or near at this moment, counted by unit and rule, and a page of those of
    /// `unit` and `rule` (all when nil) by due time: a report's title only where the desk may show it.
    func deskDeadlines(unit: String?, rule: String?, page: Int) async throws -> DeskDeadlines
    /// Every enrolled device with what the central keeps waiting or refused of its changes, last seen first.
    func deskDevices() async throws -> [DeskDevice]
    /// Every judged unit's scorecard for `period` (this month in the bureau's time zone when `nil`),
    /// judged now under the policy of that period.
    func deskScores(_ period: Period?) async throws -> DeskScores
    /// Every solicitation, latest deadline first, with each asked unit's answer.
    func deskSolicitations() async throws -> [DeskSolicitation]
    /// Chases `unit` for its answer to `solicitation` (a whole id) as `member` (as `report-cli solicit remind`).
    func deskRemind(solicitation: String, unit: String, note: String?, by member: String) async throws
    /// Issues a solicitation as `member` (the same checks as `report-cli solicit new`).
    func deskSolicit(topic: String, units: [String], deadline: Date, contact: String, by member: String) async throws
    /// The units the central office judges (and may ask), by id.
    func deskUnits() async throws -> [OrgUnit]
    /// The bureau's units, members (with their keys and desk passwords) and devices.
    func deskDirectory() async throws -> DeskDirectory
    /// The follow-up chain (续报) report `id` belongs to — its first report and every follow-up, oldest
    /// first — as far as the desk may show it (none still in its unit); empty when it has no other link.
    func deskChain(of id: String) async throws -> [DeskReport]
    /// Enrols a device for `unit` as the bureau's admin `admin` (as `syncd enroll`) and returns its
    /// token, shown once and never stored.
    func deskEnroll(unit: String, device: String, by admin: String) async throws -> String
    /// Withdraws a device's token as the bureau's admin `admin` (as `syncd revoke`).
    func deskRevoke(device: String, by admin: String) async throws
    /// Adds a unit as the bureau's admin `admin` (as `syncd unit add`); it reaches every device.
    func deskAddUnit(_ unit: OrgUnit, by admin: String) async throws
    /// Adds a member as the bureau's admin `admin` (as `syncd member add`); it reaches every device.
    func deskAddMember(_ member: Member, by admin: String) async throws
    /// Sets a central-office member's desk password hash as the bureau's admin `admin` (as `syncd
    /// member password`); every session of that member ends.
    func deskSetPassword(member: String, hash: String, by admin: String) async throws
    /// The file of attachment `name` of a report whose text the desk shows, when the central holds it whole.
    func deskFile(of id: String, named name: String) async throws -> StoredFile
    /// One report the desk may show (nothing unit-internal: draft, awaiting review, reviewed), with its history.
    func deskReport(_ id: String) async throws -> (report: DeskReport, history: ReportHistory)
    /// The conflicts of a report the desk shows (`deskReport`) that a person decides, open and settled:
    /// merge conflicts, and of a report whose text it does not show only those between steps; each
    /// with whether `member` may decide it.
    func deskConflicts(of id: String, for member: String) async throws -> [DeskConflict]
    /// Decides conflict `key` (its full id) of report `id` as `member`, signed with their key on the
    /// central (unlocked with `pin`): the same checks and changes as `report-cli conflicts resolve`.
    func deskResolve(
        _ key: String, on id: String, keep: ResolutionStep.Keep, value: String?, comment: String?, by member: String, pin: String
    ) async throws -> ConflictEntry
    /// Takes a central-office step on a report as `member`, signed with their key on the central
    /// (unlocked with `pin`): the same checks and the same change as `report-cli`.
    func deskPerform(
        _ action: WorkflowAction, on id: String, by member: String, pin: String, comment: String?, detail: StepDetail?
    ) async throws -> Report
}
