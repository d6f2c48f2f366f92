//! The rules that turn a ranked answer into a fallback offering its top
//! ("Did you mean …?"): the message asks something the top only seems to
//! answer. Each is a module of its own; this runs them in order, the
//! first that applies deciding.

use super::verdict::{self, Why};
use super::{elsewhere, job_enquiry, recommendation, trade, unknown_thing, Decision, Policy};

impl Policy<'_> {
    /// Why the top of `decision`'s ranking, which the threshold would
    /// answer, is offered instead: the message contains an out-of-scope
    /// example whole ("how much is the gym only membership" beside "gym
    /// only membership": `verdict::contains_out_of_scope`); it asks
    /// whether the business does something to a thing the knowledge base
    /// never mentions ("do you sell hearing aids":
    /// `unknown_thing::asks_about_unknown`); or it asks about the business
    /// buying and the top speaks of it selling, or the other way round
    /// ("do you buy old frames": `trade::opposite_trade`); or it asks for
    /// a job and the top does not speak of jobs ("are you hiring swimming
    /// teachers": `job_enquiry::asks_for_a_job`); or it asks for a
    /// recommendation and the top does not speak of recommending ("can you
    /// recommend a good mechanic": `recommendation::asks_for_a_recommendation`);
    /// or it asks when another place opens or closes ("what time does the
    /// post office close": `elsewhere::asks_hours_elsewhere`). `None` when
    /// the top may be answered.
    pub(super) fn top_offered(&self, decision: &Decision) -> Option<Why> {
        let (kb, matcher) = (self.kb, self.matcher);
        let (analysis, ranking) = (&decision.analysis, &decision.ranking);
        if let Some((intent, example)) =
            verdict::contains_out_of_scope(kb, matcher, analysis, ranking)
        {
            return Some(Why::ContainsOutOfScope { intent, example });
        }
        let intent = ranking.first()?.intent;
        if let Some((verb, unknown)) = unknown_thing::asks_about_unknown(
            kb,
            matcher,
            analysis,
            ranking,
            decision.semantic.as_ref(),
        ) {
            return Some(Why::UnknownThing {
                intent,
                verb,
                unknown,
            });
        }
        if let Some(frame) = job_enquiry::asks_for_a_job(kb, analysis, ranking) {
            return Some(Why::JobEnquiry { intent, frame });
        }
        if let Some(request) =
            recommendation::asks_for_a_recommendation(kb, matcher, analysis, ranking)
        {
            return Some(Why::Recommendation { intent, request });
        }
        if let Some(place) = elsewhere::asks_hours_elsewhere(kb, analysis, ranking) {
            return Some(Why::HoursElsewhere { intent, place });
        }
        trade::opposite_trade(kb, self.trade_sides, analysis, ranking)
            .map(|asked| Why::OppositeTrade { intent, asked })
    }
}
