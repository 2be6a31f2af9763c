//! The web interview's posted form (`a=fact=value&…&as_of=…`), decoded as
//! axum's `Form` does (serde_urlencoded), then `Answers::from_form`, the
//! situation, the decision and the next question.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sceau_engine::answers::Answers;

fuzz_target!(|data: &[u8]| {
    let Ok(form) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(data) else {
        return;
    };
    let law = sceau_law::law();
    let Some(answers) = Answers::from_form(law, &form) else {
        return;
    };
    let as_of = form
        .iter()
        .find(|(n, _)| n == "as_of")
        .and_then(|(_, v)| chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok());
    // A fixed legal date: the engine reads no clock, and an input must
    // behave the same on every run.
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid date");
    let s = answers.situation(law, as_of, today);
    let _ = law.next(&s);
});
