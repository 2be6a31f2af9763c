//! The situation JSON of `sceau decide` and `POST /api/v1/decisions`:
//! JSON text → `parse_situation` → decision and next question. No input may
//! panic, hang or abort; invalid ones must come back as a `SituationError`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let law = sceau_law::law();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    if let Ok(s) = law.parse_situation(&value, today) {
        let d = law.decide(&s);
        // The decision must serialise (it is the API's response body).
        serde_json::to_vec(&d).unwrap();
        let _ = law.next(&s);
    }
});
