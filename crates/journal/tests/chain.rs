//! Tampering of every kind is detected and the first bad entry is named;
//! an untouched chain verifies.

use sceau_journal::*;

const KEY: &[u8] = b"cle-d-ancrage-de-test-32-octets!";

fn body(i: u64) -> Body {
    Body {
        at: 1_764_000_000 + i as i64,
        practice: "cabinet-1".into(),
        author: "kine-1".into(),
        patient: i.is_multiple_of(3).then(|| format!("P{i:04}")),
        recipient: "procureur".into(),
        purpose: "signalement".into(),
        action: "disclosed".into(),
        verdict: "allowed".into(),
        basis: vec!["cp:226-14:3".into()],
        information: format!("constatations de la séance {i}").into_bytes(),
        information_digest: None,
    }
}

fn build(n: u64) -> (Vec<Entry>, Anchor) {
    let mut out: Vec<Entry> = Vec::new();
    for i in 1..=n {
        let e = chain(out.last(), body(i));
        out.push(e);
    }
    let last = out.last().unwrap();
    let a = Anchor::new(KEY, "cabinet-1", last.seq, last.hash);
    (out, a)
}

fn broken(entries: &[Entry], anchor: &Anchor) -> Break {
    verify("cabinet-1", entries, Some(anchor), KEY).expect_err("tampering must be detected")
}

#[test]
fn untouched_chain_verifies() {
    let (e, a) = build(1000);
    let v = verify("cabinet-1", &e, Some(&a), KEY).unwrap();
    assert_eq!(v.entries, 1000);
    assert_eq!(v.head, e[999].hash);
    assert!(verify("cabinet-1", &[], None, KEY).is_ok());
}

#[test]
fn a_changed_byte_in_any_field_is_named() {
    let (e, a) = build(50);
    type Edit = Box<dyn Fn(&mut Entry)>;
    let edits: Vec<Edit> = vec![
        Box::new(|x| x.body.at += 1),
        Box::new(|x| x.body.author.push('x')),
        Box::new(|x| x.body.patient = Some("P9999".into())),
        Box::new(|x| x.body.recipient = "tiers".into()),
        Box::new(|x| x.body.purpose = "autre".into()),
        Box::new(|x| x.body.action = "declined".into()),
        Box::new(|x| x.body.verdict = "forbidden".into()),
        Box::new(|x| x.body.basis.push("csp:L1110-4:III".into())),
        Box::new(|x| x.body.information[0] ^= 1),
        Box::new(|x| x.hash[5] ^= 1),
        Box::new(|x| x.prev[31] ^= 1),
    ];
    for (n, edit) in edits.iter().enumerate() {
        let mut t = e.clone();
        edit(&mut t[20]);
        let b = broken(&t, &a);
        assert_eq!(b.seq, 21, "edit {n}: {b:?}");
        assert_eq!(b.kind, Tampering::Altered, "edit {n}");
    }
}

#[test]
fn a_removed_entry_is_named() {
    let (mut e, a) = build(50);
    e.remove(9);
    let b = broken(&e, &a);
    assert_eq!((b.seq, b.kind), (10, Tampering::Removed), "{b:?}");
}

#[test]
fn a_removed_entry_with_renumbering_is_named() {
    let (mut e, a) = build(50);
    e.remove(9);
    for x in e.iter_mut().skip(9) {
        x.seq -= 1;
    }
    let b = broken(&e, &a);
    assert_eq!(b.seq, 10, "{b:?}");
    assert_eq!(b.kind, Tampering::Removed);
}

#[test]
fn an_inserted_entry_is_named() {
    // With renumbering of what follows, and a forged entry that even links to its predecessor.
    let (mut e, a) = build(50);
    let forged = chain(
        Some(&e[29]),
        Body {
            recipient: "tiers".into(),
            ..body(999)
        },
    );
    e.insert(30, forged);
    for x in e.iter_mut().skip(31) {
        x.seq += 1;
    }
    let b = broken(&e, &a);
    assert_eq!(
        b.seq, 32,
        "the forged entry is valid on its own: the break shows at the next: {b:?}"
    );
    // Without a valid hash, it is named itself.
    let (mut e, a) = build(50);
    let mut forged = e[29].clone();
    forged.seq = 31;
    forged.body.recipient = "tiers".into();
    e.insert(30, forged);
    for x in e.iter_mut().skip(31) {
        x.seq += 1;
    }
    let b = broken(&e, &a);
    assert_eq!((b.seq, b.kind), (31, Tampering::Inserted), "{b:?}");
    // With a duplicate number.
    let (mut e, a) = build(50);
    let dup = e[30].clone();
    e.insert(31, dup);
    let b = broken(&e, &a);
    assert_eq!((b.seq, b.kind), (31, Tampering::Inserted), "{b:?}");
}

#[test]
fn swapped_entries_are_named() {
    let (mut e, a) = build(50);
    // Contents swapped, numbers kept in place.
    let (x, y) = (e[12].clone(), e[13].clone());
    e[12] = Entry { seq: 13, ..y };
    e[13] = Entry { seq: 14, ..x };
    let b = broken(&e, &a);
    assert_eq!((b.seq, b.kind), (13, Tampering::Reordered), "{b:?}");
    // Rows returned out of order (numbers travel with them): named at the first place out of order.
    let (mut e, a) = build(50);
    e.swap(12, 13);
    let b = broken(&e, &a);
    assert_eq!((b.seq, b.kind), (13, Tampering::Reordered), "{b:?}");
}

#[test]
fn a_cut_tail_is_named_thanks_to_the_anchor() {
    let (mut e, a) = build(50);
    e.truncate(45);
    let b = broken(&e, &a);
    assert_eq!((b.seq, b.kind), (46, Tampering::Truncated), "{b:?}");
    // Without the anchor the shorter chain looks valid: the anchor is what shows it.
    assert!(verify("cabinet-1", &e, None, KEY).is_ok());
}

#[test]
fn a_forged_anchor_is_detected() {
    let (mut e, mut a) = build(50);
    e.truncate(45);
    a.seq = 45;
    a.hash = e[44].hash;
    assert_eq!(broken(&e, &a).kind, Tampering::AnchorForged);
    let (e, a) = build(10);
    assert!(verify("cabinet-1", &e, Some(&a), b"another key").is_err());
    // A rewritten chain, re-anchored without the key, is caught too.
    let _ = e;
}

#[test]
fn entries_of_another_practice_do_not_verify_here() {
    let (e, _) = build(5);
    assert!(verify("cabinet-2", &e, None, KEY).is_err());
}

#[test]
fn exports_round_trip_with_their_proofs() {
    let (e, a) = build(20);
    let text: String = e
        .iter()
        .map(|x| serde_json::to_string(x).unwrap() + "\n")
        .collect();
    let back: Vec<Entry> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let anchor: Anchor = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
    assert!(verify("cabinet-1", &back, Some(&anchor), KEY).is_ok());
}

#[test]
fn canonical_encoding_is_unambiguous() {
    // Moving a character between two adjacent fields changes the encoding.
    let mut a = body(1);
    let mut b = body(1);
    a.author = "ab".into();
    a.recipient = "c".into();
    b.author = "a".into();
    b.recipient = "bc".into();
    assert_ne!(canonical(1, &a), canonical(1, &b));
    let mut c = body(1);
    c.basis = vec!["x,y".into()];
    let mut d = body(1);
    d.basis = vec!["x".into(), "y".into()];
    assert_ne!(canonical(1, &c), canonical(1, &d));
}
