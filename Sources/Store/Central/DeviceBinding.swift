import Foundation
import SyncCore

/// Which replica ids each enrolled device writes under: a device may push only changes whose dots
/// name one of its own replicas, so it can never write as another device (nor as the central).
///
/// A replica id is bound to a device by the first push that uses it: the id a device declares at its
/// first sync, or the new id a field replica takes when it finds itself copied or restored (the token
/// authenticates that step). Bindings belong to the device's name, so a device enrolled again keeps
/// its replicas. An id whose changes the central already holds from before bindings existed may be
/// bound only by a device whose units those changes are for.
struct DeviceBinding<Ledger: CentralLedger> {
    /// The most replica ids one device may write under (each copy or restore of its file takes one).
    static var maxReplicasPerDevice: Int { 1_000 }

    let ledger: Ledger

    /// Whether `replica` is bound to `device` already (a device's own id, not yet another's).
    func isBound(_ replica: String, to device: Enrollment) throws -> Bool {
        try ledger.boundDevice(of: replica) == device.device
    }

    /// Binds the replicas of `dots` that are new here to `device`, or throws (`forbidden`) why the
    /// device may not write under one of them; nothing is bound then.
    func claim(_ replicas: Set<String>, for device: Enrollment, scope: Set<String>, at: Date) throws {
        let central = Set([try ledger.replicaID()] + (try ledger.previousReplicaIDs()))
        for replica in replicas.sorted() {
            if central.contains(replica) {
                throw ReportSyncError(.forbidden, "replica \(replica) is the central's own; a device pushes only changes made on its own replica. Nothing of this push was taken")
            }
            if let holder = try ledger.boundDevice(of: replica) {
                guard holder == device.device else {
                    throw ReportSyncError(
                        .forbidden,
                        "replica \(replica) writes for device \(holder), not \(device.device): a device pushes only changes made on its own replica. Nothing of this push was taken")
                }
                continue
            }
            if try ledger.hasWritten(replica, outside: scope) {
                throw ReportSyncError(
                    .forbidden,
                    "replica \(replica) has written for units device \(device.device) does not sync for; it is not this device's. Nothing of this push was taken")
            }
            let bound = try ledger.boundReplicaCount(of: device.device)
            guard bound < Self.maxReplicasPerDevice else {
                throw ReportSyncError(
                    .forbidden,
                    "device \(device.device) has already written under \(bound) replica ids, more than any device restored or copied now and then; the central office should find out why. Nothing of this push was taken")
            }
            try ledger.bind(replica, to: device.device, at: at)
        }
    }
}
