//! The interview's answers as a form carries them (`a=fact=value`, in the
//! order given): parsed and checked against the catalogue of facts without
//! any I/O, so that the parser can be fuzzed
//! (fuzz/fuzz_targets/interview_answers.rs). It lives with the engine, not
//! with the web pages that post the form, so that the fuzz build does not
//! compile the web server.

use chrono::NaiveDate;

use crate::law::Law;
use crate::situation::Situation;

/// The answer « Je ne sais pas »: kept in the form so that the question is
/// not asked again, never set in the situation (the fact stays unknown).
pub const DONT_KNOW: &str = "?";

/// Answers in the order given, as `fact=value` pairs.
#[derive(Debug, Default, Clone)]
pub struct Answers(pub Vec<(String, String)>);

/// A posted `fact=value` pair that names a fact and one of its values (or « je ne sais pas »).
pub fn valid_answer<'a>(law: &Law, pair: &'a str) -> Option<(&'a str, &'a str)> {
    pair.split_once('=').filter(|(f, val)| {
        law.fact(f)
            .is_some_and(|d| *val == DONT_KNOW || d.value_index(val).is_some())
    })
}

impl Answers {
    /// The answers of a posted form (every `a` field, other fields ignored);
    /// `None` when one of them names no fact or no value of its fact.
    pub fn from_form(law: &Law, form: &[(String, String)]) -> Option<Answers> {
        let mut answers = Answers::default();
        for (_, v) in form.iter().filter(|(n, _)| n == "a") {
            let (f, val) = valid_answer(law, v)?;
            answers.set(f, val);
        }
        Some(answers)
    }

    /// Facts the person said they do not know.
    pub fn unknown(&self) -> Vec<String> {
        self.0
            .iter()
            .filter(|(_, v)| v == DONT_KNOW)
            .map(|(f, _)| f.clone())
            .collect()
    }

    pub fn set(&mut self, fact: &str, value: &str) {
        match self.0.iter_mut().find(|(f, _)| f == fact) {
            Some(a) => a.1 = value.to_string(),
            None => self.0.push((fact.to_string(), value.to_string())),
        }
    }

    pub fn remove(&mut self, fact: &str) -> Option<String> {
        let i = self.0.iter().position(|(f, _)| f == fact)?;
        Some(self.0.remove(i).1)
    }

    /// The situation these answers describe on `as_of` (on `today`, the
    /// caller's legal date, when not given: the engine reads no clock).
    pub fn situation(&self, law: &Law, as_of: Option<NaiveDate>, today: NaiveDate) -> Situation {
        let mut s = Situation::unknown(law, as_of.unwrap_or(today));
        s.as_of_given = as_of.is_some();
        for (f, v) in &self.0 {
            s.set_named(law, f, v);
        }
        s
    }
}
