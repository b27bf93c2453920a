import CrisisCore
import Foundation
import Testing

/// A `RoutingMemo` holds each decision until the rota may change: at every instant it must
/// answer what `Routing.route` answers there, whatever it answered before and in whatever order
/// the instants come.
struct RoutingMemoTests {
    let rota = RoutingTests().rota
    let lists: [[EscalationTarget]] = [
        [.rotation("chiefs")], [.rotation("seniors")], [.rotation("future")], [.rotation("nurses")],
        [.person("lead")], [.rotation("chiefs"), .rotation("seniors")], [.rotation("seniors"), .rotation("chiefs")],
        [.rotationBackup("chiefs")],
    ]

    /// A rota of one rotation in Copenhagen.
    static func oneRotation(_ rotation: Rotation) -> Rota {
        Rota(timeZone: copenhagen, rotations: [rotation], people: [])
    }

    @Test func oneMemoAnswersWhatRoutingAnswersAtEachInstantInAnyOrder() {
        let memo = RoutingMemo(rota: rota)
        // Around a hand-off of chiefs (Monday 8:00 in Copenhagen), days later, and back again.
        for now in [
            utc("2026-11-05T12:00:00Z"), utc("2026-11-09T06:59:59Z"), utc("2026-11-09T07:00:00Z"),
            utc("2026-11-20T23:30:00Z"), utc("2026-11-09T06:59:59Z"), utc("2026-11-05T12:00:00Z"),
            utc("2027-01-04T07:00:00Z"),
        ] {
            for targets in lists + lists.reversed() {
                #expect(
                    memo.route(targets, at: now) == Routing.route(targets, rota: rota, at: now), "\(targets) at \(now)")
            }
        }
    }

    @Test func aHeldDecisionEndsAtTheHandOff() {
        let memo = RoutingMemo(rota: rota)
        #expect(memo.route([.rotation("chiefs")], at: utc("2026-11-09T06:59:59Z")).recipients.map(\.person) == ["anna"])
        #expect(memo.route([.rotation("chiefs")], at: utc("2026-11-09T07:00:00Z")).recipients.map(\.person) == ["bo"])
        #expect(memo.route([.rotation("chiefs")], at: utc("2026-11-09T06:59:59Z")).recipients.map(\.person) == ["anna"])
        // Tuesday 7:00: chiefs hand over next Monday, their backup seniors daily at 8:00. The
        // first change of either ends the decision.
        let (_, until) = Routing.route(
            [.rotation("chiefs"), .rotationBackup("chiefs")], rota: rota, at: utc("2026-11-10T06:00:00Z"),
            holdingFor: RoutingMemo.horizon)
        #expect(until == utc("2026-11-10T07:00:00Z"))
    }

    /// One person alone on a rotation has no hand-off for `Rota.stretch` to find: open-ended from
    /// any instant, held for the whole horizon, or until the next hand-off (to the same person).
    @Test(arguments: [(TimeSpan(days: 30_000), "2026-11-06T12:00:00Z"), (TimeSpan(days: 1), "2026-11-06T07:00:00Z")])
    func onePersonAloneIsHeldUntilTheNextHandOffOrForTheHorizon(shift: TimeSpan, heldUntil: String) {
        let alone = Self.oneRotation(
            Rotation(
                id: "solo", members: ["anna"], start: LocalDateTime(year: 2026, month: 11, day: 2, hour: 8),
                shift: shift))
        let now = utc("2026-11-05T12:00:00Z")
        let (decision, until) = Routing.route(
            [.rotation("solo")], rota: alone, at: now, holdingFor: RoutingMemo.horizon)
        #expect(decision.recipients.map(\.person) == ["anna"])
        #expect(decision.recipients.first?.reason == "on duty on solo")
        #expect(until == utc(heldUntil))
        let memo = RoutingMemo(rota: alone)
        for hour in 0..<30 {
            let later = now + TimeInterval(hour * 3600)
            #expect(
                memo.route([.rotation("solo")], at: later) == Routing.route([.rotation("solo")], rota: alone, at: later)
            )
        }
    }

    /// A shift longer than `Rota.stretch` looks ahead: its end is out of sight at first, then
    /// seen from a later instant. The memo must not hold the answer without an end past that.
    @Test func aStretchWhoseEndComesIntoSightIsNotHeldPastIt() {
        let long = Self.oneRotation(
            Rotation(
                id: "long", members: ["anna", "bo"], start: LocalDateTime(year: 2026, month: 1, day: 5, hour: 8),
                shift: TimeSpan(days: 2300)))
        let memo = RoutingMemo(rota: long)
        let start = utc("2026-01-05T07:00:00Z")
        var seen: Set<String> = []
        // From 59½ to 62½ days after the start, every 6 hours: anna throughout, her end seen on the way.
        for quarter in 0...12 {
            let now = start + TimeInterval(59 * 86_400 + 43_200 + quarter * 21_600)
            let direct = Routing.route([.rotation("long")], rota: long, at: now)
            #expect(memo.route([.rotation("long")], at: now) == direct, "at \(now)")
            seen.insert(direct.recipients.first?.reason ?? "")
        }
        #expect(seen.count == 2)
    }

    /// The year-walk rota (weekly, daily and elapsed hand-offs, restricted layers under a
    /// schedule, cover, hand-offs in the skipped and doubled hours), walked across both DST
    /// changes and the cover's edges in uneven steps, sometimes back: one memo, and at each step
    /// Routing's answer.
    @Test(arguments: [YearWalkZone.copenhagen, .lordHowe])
    func aWalkAcrossHandOffsCoverAndDSTGetsRoutingsAnswerAtEveryStep(walk: YearWalkZone) {
        let rota = YearWalkRota(walk, clock: WallClock(walk.zone)).rota
        let lists: [[EscalationTarget]] = [
            [.schedule("clinic")], [.rotation("weekly"), .rotation("daily")], [.rotation("ones"), .rotation("halves")],
        ]
        let memo = RoutingMemo(rota: rota)
        var random = SplitMix64(seed: 2027)
        var steps = 0
        // Both zones' DST changes (Copenhagen 03-28 and 10-31, Lord Howe 04-04 and 10-03), the
        // cover on weekly (05-12 to 05-14) and the two on clinic (07-02 to 07-05, 07-03).
        for middle in [
            "2027-03-28T01:00:00Z", "2027-10-31T01:00:00Z", "2027-04-03T15:00:00Z", "2027-10-02T15:30:00Z",
            "2027-05-12T09:30:00Z", "2027-05-14T17:00:00Z", "2027-07-02T13:00:00Z", "2027-07-03T11:00:00Z",
            "2027-07-05T06:00:00Z",
        ] {
            var now = utc(middle) - 5400
            while now < utc(middle) + 5400 {
                for targets in lists {
                    #expect(
                        memo.route(targets, at: now) == Routing.route(targets, rota: rota, at: now),
                        "\(targets) at \(now)")
                }
                steps += 1
                // Mostly forward by up to 25 minutes, to the second; now and then back.
                let step = TimeInterval(Int.random(in: 1...1500, using: &random))
                now += Int.random(in: 0..<6, using: &random) == 0 ? -step : step
            }
        }
        #expect(steps > 80)
    }
}
