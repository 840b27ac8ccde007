/// The content rules of DOMAIN.md, checked on every write and, more strictly, before a report leaves its drafter.
public enum ReportRules {
    /// Checks that hold for every saved version, draft or not: a title a person can see, a disclosure the
    /// classification allows, exempt reasons, follow-up links. Length limits wait for the submission.
    ///
    /// - Parameters:
    ///   - previous: the content this write replaces (nil for a new report). The title, and the disclosure
    ///     against the classification, are checked only when the write changes them, so that what an older
    ///     version let in never blocks an edit of another field.
    ///   - followUpTarget: the report named by `content.followUpOf`, if the replica holds it.
    public static func checkWrite(
        _ content: ReportContent, replacing previous: ReportContent?, unit: String, followUpTarget: Report?, policy: Policy
    ) throws {
        if content.title != previous?.title { try checkTitle(content.title) }
        try checkNoNUL(content, replacing: previous)
        if content.classification != previous?.classification || content.disclosure != previous?.disclosure {
            try checkDisclosure(content)
        }
        if content.disclosure == .exempt, !content.disclosureReason.isPresentText {
            throw ReportSyncError(
                .ruleViolated,
                "an exempt disclosure (免予公开) needs a reason: give --disclosure-reason (000 政府信息公开报送审核制度 §4)")
        }
        if let first = content.followUpOf {
            try checkFollowUp(content, firstID: first, unit: unit, target: followUpTarget)
        }
        if content.attachments != previous?.attachments { try checkAttachments(content.attachments, policy: policy) }
    }

    /// Attachments a person can tell apart and a replica can fetch: each named (without a folder) once,
    /// each file's address a SHA-256 with its size and media type, within the policy's sizes.
    public static func checkAttachments(_ attachments: [Attachment], policy: Policy) throws {
        var names: Set<String> = []
        var total: Int64 = 0
        for attachment in attachments {
            let name = attachment.name
            let dotsOnly = name.allSatisfy { $0 == "." }
            let control = name.unicodeScalars.contains { $0.properties.generalCategory == .control }
            guard name.hasVisibleText, !name.contains("/"), !dotsOnly, !control, name.count <= 255 else {
                throw ReportSyncError(
                    .ruleViolated,
                    "attachment name '\(name.unicodeScalars.filter { $0.properties.generalCategory != .control })' is not a file name: give a name of at most 255 characters, without '/' or control characters, and not only dots")
            }
            guard names.insert(name).inserted else {
                throw ReportSyncError(.ruleViolated, "two attachments are named '\(name)': rename one of the files before attaching it")
            }
            guard attachment.sha256 != nil || attachment.size != nil || attachment.mediaType != nil else { continue }
            guard let blob = attachment.blob, attachment.mediaType != nil, blob.size >= 0 else {
                throw ReportSyncError(
                    .invalidInput, "attachment '\(name)' names its file without a valid SHA-256, size and media type: attach the file again")
            }
            guard blob.size <= policy.attachments.maxFileBytes else {
                throw ReportSyncError(
                    .ruleViolated,
                    "attachment '\(name)' is \(blob.size.bytesText); the policy allows at most \(policy.attachments.maxFileBytes.bytesText) a file: send a smaller or shorter file")
            }
            total += blob.size
        }
        guard total <= policy.attachments.maxReportBytes else {
            throw ReportSyncError(
                .ruleViolated,
                "the report's attachments come to \(total.bytesText); the policy allows at most \(policy.attachments.maxReportBytes.bytesText) a report: remove one, or split the report")
        }
    }

    /// Checks before submission (提交): everything `checkWrite` checks of the content as it stands, plus body
    /// text, complete emergency facts, photo captions and — when the policy makes them hard — length limits.
    public static func checkSubmission(_ content: ReportContent, unit: String, followUpTarget: Report?, policy: Policy) throws {
        try checkWrite(content, replacing: content, unit: unit, followUpTarget: followUpTarget, policy: policy)
        if !content.body.hasVisibleText {
            throw ReportSyncError(.ruleViolated, "the report has no body text; add it with --body before submitting")
        }
        if policy.lengthLimitEnforcement == .refuse, let excess = lengthExcess(content, policy: policy) {
            throw ReportSyncError(.ruleViolated, "\(excess). Shorten it before submitting")
        }
        if content.category == .emergency, content.followUpOf == nil {
            let missing = missingEmergencyFacts(content)
            if !missing.isEmpty {
                throw ReportSyncError(
                    .ruleViolated,
                    "an emergency report needs every required fact before it is submitted (004 §三.十); missing: "
                        + missing.joined(separator: ", ") + ". Add them with report-cli edit")
            }
        }
        if content.category == .newMedia {
            let details = content.newMedia ?? NewMediaDetails()
            var missing: [String] = []
            if content.eventTime == nil { missing.append("when it was published (--event-time)") }
            if !details.platform.isPresentText { missing.append("the platform (--platform)") }
            if !details.publisher.isPresentText { missing.append("who published it (--publisher)") }
            if !missing.isEmpty {
                throw ReportSyncError(
                    .ruleViolated, "a new-media item names its publication before it is submitted (000:513); missing: \(missing.joined(separator: ", "))")
            }
        }
        if let photo = content.attachments.first(where: { $0.kind == .photo && !$0.caption.isPresentText }) {
            throw ReportSyncError(
                .ruleViolated, "photo '\(photo.name)' has no caption (图说, 004 §二); give it one with report-cli edit ID --attach '\(photo.name)=CAPTION', or remove it with --remove-attachment '\(photo.name)'")
        }
    }

    /// The required emergency facts still missing, each as "name (--option)".
    public static func missingEmergencyFacts(_ content: ReportContent) -> [String] {
        var missing: [String] = []
        if content.eventTime == nil { missing.append("time of the event (--event-time)") }
        if !content.place.isPresentText { missing.append("place (--place)") }
        let details = content.emergency ?? EmergencyDetails()
        for requirement in EmergencyDetails.requirements where !requirement.isPresent(details) {
            missing.append("\(requirement.name) (\(requirement.option))")
        }
        return missing
    }

    /// No field this write changes holds U+0000 (a store may not keep it, and the central refuses it).
    static func checkNoNUL(_ content: ReportContent, replacing previous: ReportContent?) throws {
        // Field by field on the typed values: encoding each field of both versions cost more than the save.
        for field in ReportField.all where previous.map({ field.differs(content, $0) }) ?? true {
            if try field.holdsNUL(content) {
                throw ReportSyncError(.ruleViolated, "\(field.name) holds the character U+0000 (NUL), which no text of a report may hold: remove it")
            }
        }
    }

    /// A title is one line a person can see: not only spaces, zero-width or control characters.
    static func checkTitle(_ title: String) throws {
        if !title.hasVisibleText {
            throw ReportSyncError(
                .ruleViolated, "a report needs a title with visible text: give --title (spaces, zero-width and control characters do not count)")
        }
        if title.hasControlCharacters {
            throw ReportSyncError(.ruleViolated, "a title is one line of text: remove its control characters (line breaks, tabs, escapes)")
        }
    }

    /// Only a public item may be disclosed proactively (主动公开): an internal (内部掌握) or secret one may not
    /// go on the web (000:171, 000:189).
    static func checkDisclosure(_ content: ReportContent) throws {
        if content.disclosure == .proactive, content.classification != .public {
            throw ReportSyncError(
                .ruleViolated,
                "a \(content.classification.rawValue) report cannot be disclosed proactively (主动公开, 000 政府信息公开报送审核制度 第二条): give --disclosure on-request, or exempt with --disclosure-reason, or --classification public")
        }
    }

    /// What is wrong when the body is over its category's limit (000:673, "in principle" 600 or 2,000
    /// characters); nil within it. A refusal at submission or a warning, as the policy says.
    public static func lengthExcess(_ content: ReportContent, policy: Policy) -> String? {
        guard let limit = policy.lengthLimit(for: content.category) else { return nil }
        let length = content.body.count
        guard length > limit else { return nil }
        return "the body has \(length) characters; a \(content.category.rawValue) report should have at most \(limit) (000 局政务信息报送制度 §二.6)"
    }

    static func checkFollowUp(_ content: ReportContent, firstID: String, unit: String, target: Report?) throws {
        guard let target else {
            throw ReportSyncError(
                .notFound, "the report to follow up, \(firstID), is not in this replica; check the id with report-cli list")
        }
        // A first report whose category this replica holds withheld or sealed (its lowering has not come
        // yet, say) cannot be judged here: the device that wrote the follow-up judged it by the text.
        let sealed = target.withheldFields?.contains("category") ?? false
        guard target.content.category == .emergency || sealed else {
            throw ReportSyncError(
                .ruleViolated,
                "a follow-up (续报) continues an emergency report, but \(target.id) is a \(target.content.category.rawValue) report")
        }
        guard target.unit == unit else {
            throw ReportSyncError(
                .ruleViolated, "a follow-up must come from the unit of the first report (\(target.unit)), not \(unit)")
        }
        guard content.category == .emergency else {
            throw ReportSyncError(.ruleViolated, "a follow-up (续报) is itself an emergency report: use --category emergency")
        }
    }
}
