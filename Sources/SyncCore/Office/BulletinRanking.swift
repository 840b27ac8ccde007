/// The order of units in a bulletin (通报): first by how much of its quota a unit met (all of it counts
/// as all, more does not count twice), then by points, then by unit id. Seed 003 §三.五 ranks only units
/// that reached their target, so a unit that sent nothing never outranks one that sent, whatever the
/// penalties the sender's reports drew.
public enum BulletinRanking {
    /// `cards` in bulletin order, first place first.
    public static func ranked(_ cards: [Scorecard]) -> [Scorecard] {
        cards.sorted { a, b in
            let (shareA, shareB) = (quotaShare(a), quotaShare(b))
            // Fractions compared without division.
            let (left, right) = (shareA.met * shareB.of, shareB.met * shareA.of)
            if left != right { return left > right }
            if a.total != b.total { return a.total > b.total }
            return a.unit < b.unit
        }
    }

    /// The share of its quota a unit met, as a fraction: min(counted, quota) of quota; a unit with no quota
    /// has met all of it.
    static func quotaShare(_ card: Scorecard) -> (met: Int, of: Int) {
        card.quota == 0 ? (1, 1) : (min(card.countedTowardQuota, card.quota), card.quota)
    }
}
