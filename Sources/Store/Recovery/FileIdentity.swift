import Foundation

/// Where a file physically is: its device and inode. A copy or a restored backup has different ones.
enum FileIdentity {
    static func of(_ path: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let device = attributes[.systemNumber], let inode = attributes[.systemFileNumber]
        else { return nil }
        return "\(device):\(inode)"
    }
}
