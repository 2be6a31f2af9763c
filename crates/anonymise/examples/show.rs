//! Prints what the anonymiser finds in a text given as argument (debugging aid).
fn main() {
    let text = std::env::args().nth(1).unwrap_or_default();
    // NODET=1: the rules alone, without the learned detector
    let a = if std::env::var("NODET").is_ok() {
        sceau_anonymise::Anonymiser::new().with_detector(None)
    } else {
        sceau_anonymise::Anonymiser::new()
    };
    for s in a.detect(&text) {
        println!("{:?} {:?}", s.kind, &text[s.start..s.end]);
    }
    let out = a.anonymise(&text);
    println!("{}", out.text);
    for r in &out.risks {
        println!("risk {} {:?}", r.kind, &text[r.span.0..r.span.1]);
    }
}
