import Foundation
import Store
import SyncCore

/// Units and people (admins only): the bureau's units, members with their keys and desk passwords, and
/// every device's enrolment.
struct DirectoryPage {
    struct Unit {
        let id: String
        let name: String
        let kind: String
        let parent: String
    }

    struct Person {
        let id: String
        let name: String
        let unit: String
        let role: String
        let key: String
        let desk: String
    }

    struct Device {
        let device: String
        let unit: String
        let enrolled: String
        let status: String
        /// In use: the page offers to revoke it.
        let active: Bool
    }

    /// A choice in one of the page's forms.
    struct Option {
        let value: String
        let label: String
    }

    /// A device's token just made: shown on this page once, never stored.
    struct NewToken {
        let device: String
        let token: String
    }

    let frame: PageFrame
    let units: [Unit]
    let people: [Person]
    let devices: [Device]
    let token: NewToken?
    let kinds: [Option]
    let roles: [Option]
    /// The central office's members, who may have a desk password.
    let deskMembers: [Option]

    init(frame: PageFrame, directory: DeskDirectory, builder: PageBuilder, token: NewToken? = nil) {
        self.frame = frame
        self.token = token
        units = directory.units.map { Unit(id: $0.id, name: $0.name, kind: DeskWording.unitKind($0.kind), parent: $0.parent ?? "") }
        people = directory.people.map { p in
            Person(
                id: p.member.id, name: p.member.name, unit: p.member.unit, role: DeskWording.role(p.member.role),
                key: p.hasKey ? "有" : "无", desk: p.hasDeskPassword ? "可登录" : "")
        }
        kinds = directory.unitKinds.map { Option(value: $0.rawValue, label: DeskWording.unitKind($0)) }
        roles = Role.allCases.map { Option(value: $0.rawValue, label: DeskWording.role($0)) }
        deskMembers = directory.people.filter(\.mayUseDesk).map {
            Option(value: $0.member.id, label: "\($0.member.name)（\($0.member.id)）" + ($0.hasDeskPassword ? " · 已有密码" : ""))
        }
        devices = directory.devices.map { e in
            Device(
                device: e.device, unit: e.unit, enrolled: builder.time(e.createdAt),
                status: e.revokedAt.map { "已于 \(builder.time($0)) 注销" } ?? "在用", active: e.revokedAt == nil)
        }
    }
}
