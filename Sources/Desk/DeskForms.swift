import Foundation
import Hummingbird

/// The sign-in form.
struct SignInForm: Decodable {
    let member: String
    let password: String
}

/// A form that only carries the session's anti-forgery token (sign-out).
struct TokenForm: Decodable {
    let csrf: String?
}

/// The central office's decision on a report: adopt (level, outlet, date), record a leader's instruction
/// (level, leader, comment, date), return or reject (comment), archive; every one signed with the PIN of
/// the member's key on the central.
struct StepForm: Decodable {
    let csrf: String?
    let pin: String?
    let level: String?
    let outlet: String?
    /// For an instruction (批示): the leader who wrote it.
    let leader: String?
    let date: String?
    let comment: String?
    let falseReport: String?
}

/// The decision on one conflict of a report: which side stands (`winner`, `loser`, or `value` with the
/// new value typed), an optional comment, signed with the PIN of the member's key on the central.
struct ResolveForm: Decodable {
    let csrf: String?
    /// The conflict's full id.
    let conflict: String?
    let keep: String?
    let value: String?
    let comment: String?
    let pin: String?
}

/// A device to enrol (its unit and name) or to revoke (its name), on the admins' people page.
struct DeviceForm: Decodable {
    let csrf: String?
    let unit: String?
    let device: String?
}

/// Chasing a unit for its answer to a solicitation (催报), from the solicitations page.
struct ReminderForm: Decodable {
    let csrf: String?
    let solicitation: String?
    let unit: String?
    let note: String?
}

/// A new unit from the people page: its id, name, kind and parent unit.
struct UnitForm: Decodable {
    let csrf: String?
    let id: String?
    let name: String?
    let kind: String?
    let parent: String?
}

/// A new member from the people page: id, name, unit, role and (optional) phone.
struct MemberForm: Decodable {
    let csrf: String?
    let id: String?
    let name: String?
    let unit: String?
    let role: String?
    let phone: String?
}

/// A central-office member's desk password, typed twice, from the people page.
struct PasswordForm: Decodable {
    let csrf: String?
    let member: String?
    let password: String?
    let again: String?
}

/// A new solicitation (约稿): topic, the units asked (checkboxes `units[]`), deadline (`2026-12-10T18:00`,
/// bureau time) and who to ask.
struct SolicitationForm: Decodable {
    let csrf: String?
    let topic: String?
    let units: [String]?
    let deadline: String?
    let contact: String?
}

/// Reads a request's `application/x-www-form-urlencoded` body into `Form`, at most `limit` bytes.
enum FormBody {
    static let limit = 64 * 1024

    static func decode<Form: Decodable>(_ type: Form.Type, from request: Request) async throws -> Form {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: limit) } catch {
            throw DeskFailure(.contentTooLarge, "表单超过 \(limit / 1024) KiB 的上限")
        }
        do { return try URLEncodedFormDecoder().decode(Form.self, from: String(buffer: buffer)) } catch {
            throw DeskFailure(.badRequest, "表单内容与页面不符：请刷新页面后重试")
        }
    }
}
