//! The sequence formulation of the learned detector: every word of a line,
//! lower-case ones included, gets a tag (« O », or B- / I- of a name, an
//! establishment, a commune or a room), and the line's tags are chosen
//! together (Viterbi) by an averaged structured perceptron whose features
//! are the word detector's plus the previous tag. It can take a whole
//! « ehpad les tilleuls » or extend the rules' « Glycines » to « résidence
//! les Glycines », which a word-by-word scorer of capitalised words cannot.
//!
//! The weights are a `Model` file: the classes are the tags, the features
//! those of `features.rs` plus `tr=<previous tag>` (the transitions), and
//! the threshold is the bias « O » gets on every word (the higher, the
//! fewer words taken).
use std::collections::HashMap;

use super::features::Doc;
use super::model::Model;
use super::CLASSES;
use crate::eval::Note;
use crate::Kind;

/// Tag `0` is « O »; class `c` (1…4 in `CLASSES`) has B = 2c − 1, I = 2c.
pub fn tags() -> Vec<String> {
    let mut t = vec!["O".to_string()];
    for c in &CLASSES[1..] {
        t.push(format!("B-{c}"));
        t.push(format!("I-{c}"));
    }
    t
}

fn n_tags() -> usize {
    2 * CLASSES.len() - 1
}

/// The class (index in `CLASSES`) of a tag.
fn class_of(tag: usize) -> usize {
    tag.div_ceil(2)
}

fn is_inside(tag: usize) -> bool {
    tag > 0 && tag.is_multiple_of(2)
}

/// An I- tag only continues its own class: I-nom after O or B-ville is
/// not a path.
fn allowed(prev: Option<usize>, cur: usize) -> bool {
    !is_inside(cur) || prev.is_some_and(|p| p > 0 && class_of(p) == class_of(cur))
}

/// The feature of the transition from `prev` (none at a line's start).
fn transition(prev: Option<usize>, tags: &[String]) -> String {
    match prev {
        None => "tr=^".into(),
        Some(p) => format!("tr={}", tags[p]),
    }
}

/// The features of every token and the lines they stand on: a line is
/// the unit the tags are chosen over (a name never runs across lines).
pub fn token_features(doc: &Doc) -> (Vec<Vec<String>>, Vec<(usize, usize)>) {
    let feats: Vec<Vec<String>> = (0..doc.toks.len())
        .map(|i| {
            let mut f = doc.features(i);
            // what the rules made of the word itself (the word detector never
            // sees a word the rules took; here a span of theirs can grow)
            f.push(format!("rk={}", doc.rules[i].map_or("-", Kind::id)));
            f
        })
        .collect();
    let mut lines = Vec::new();
    let mut start = 0;
    for i in 1..=doc.toks.len() {
        if i == doc.toks.len() || doc.text[doc.toks[i - 1].1..doc.toks[i].0].contains('\n') {
            if start < i {
                lines.push((start, i));
            }
            start = i;
        }
    }
    (feats, lines)
}

/// Best tags of one line given each token's score per tag and the
/// transition scores (`trans[0]` from the line's start, `trans[1 + p]`
/// from tag `p`).
fn viterbi(emit: &[Vec<f64>], trans: &[Vec<f64>]) -> Vec<usize> {
    let n = n_tags();
    if emit.is_empty() {
        return Vec::new();
    }
    let mut score: Vec<f64> = (0..n)
        .map(|t| {
            if allowed(None, t) {
                emit[0][t] + trans[0][t]
            } else {
                f64::NEG_INFINITY
            }
        })
        .collect();
    let mut back: Vec<Vec<usize>> = Vec::with_capacity(emit.len());
    back.push(vec![0; n]);
    for e in &emit[1..] {
        let mut next = vec![f64::NEG_INFINITY; n];
        let mut from = vec![0; n];
        for t in 0..n {
            for p in 0..n {
                if !allowed(Some(p), t) || score[p] == f64::NEG_INFINITY {
                    continue;
                }
                let s = score[p] + trans[1 + p][t] + e[t];
                // ties go to the lower tag, « O » first: the same input
                // always gives the same path
                if s > next[t] {
                    next[t] = s;
                    from[t] = p;
                }
            }
        }
        score = next;
        back.push(from);
    }
    let mut best = 0;
    for t in 1..n {
        if score[t] > score[best] {
            best = t;
        }
    }
    let mut path = vec![best; emit.len()];
    for i in (1..emit.len()).rev() {
        path[i - 1] = back[i][path[i]];
    }
    path
}

/// The tags of every token of a text with a trained model.
pub fn decode(m: &Model, doc: &Doc) -> Vec<usize> {
    let n = n_tags();
    let (feats, lines) = token_features(doc);
    let trans: Vec<Vec<f64>> = std::iter::once(None)
        .chain((0..n).map(Some))
        .map(|p| {
            let w = m.weights.get(&transition(p, &m.classes));
            (0..n).map(|t| w.map_or(0.0, |w| f64::from(w[t]))).collect()
        })
        .collect();
    let mut out = vec![0; doc.toks.len()];
    for (a, b) in lines {
        let emit: Vec<Vec<f64>> = feats[a..b]
            .iter()
            .map(|f| {
                let mut s: Vec<f64> = m.scores(f).into_iter().map(f64::from).collect();
                s[0] += f64::from(m.threshold);
                s
            })
            .collect();
        for (k, t) in viterbi(&emit, &trans).into_iter().enumerate() {
            out[a + k] = t;
        }
    }
    out
}

/// One training line: its tokens' feature ids and gold tags.
pub struct Line {
    feats: Vec<Vec<u32>>,
    gold: Vec<usize>,
}

/// Feature strings to ids, shared by all the sets of one training run.
#[derive(Default)]
pub struct Interner {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Interner {
    fn id(&mut self, f: String) -> u32 {
        if let Some(&i) = self.ids.get(&f) {
            return i;
        }
        let i = self.names.len() as u32;
        self.ids.insert(f.clone(), i);
        self.names.push(f);
        i
    }
}

/// The gold tag of each token: B- on the first token of a gold span of a
/// learnt class, I- on the next ones, « O » elsewhere (a date or a number
/// the rules missed is not a name either).
fn gold_tags(n: &Note, toks: &[(usize, usize)]) -> Vec<usize> {
    let mut out = vec![0; toks.len()];
    let mut last: Option<usize> = None;
    for (i, &(s, e)) in toks.iter().enumerate() {
        let g = n
            .entities
            .iter()
            .position(|g| g.start < e && s < g.end && CLASSES.contains(&g.kind.as_str()));
        if let Some(gi) = g {
            let c = CLASSES
                .iter()
                .position(|c| *c == n.entities[gi].kind)
                .unwrap_or(0);
            out[i] = if last == Some(gi) { 2 * c } else { 2 * c - 1 };
        }
        last = g;
    }
    out
}

/// The training lines of annotated notes, the rules (`rules`) run first
/// as they are in the pipeline.
pub fn lines_of(
    notes: &[Note],
    rules: impl Fn(&str) -> Vec<crate::Span>,
    interner: &mut Interner,
) -> Vec<Line> {
    let mut out = Vec::new();
    for n in notes {
        let spans: Vec<_> = rules(&n.text)
            .into_iter()
            .map(|s| (s.start, s.end, s.kind))
            .collect();
        let doc = Doc::new(&n.text, &spans);
        let gold = gold_tags(n, &doc.toks);
        let (feats, lines) = token_features(&doc);
        let mut feats = feats.into_iter();
        let mut ids: Vec<Vec<u32>> = Vec::with_capacity(doc.toks.len());
        for f in feats.by_ref() {
            ids.push(f.into_iter().map(|x| interner.id(x)).collect());
        }
        for (a, b) in lines {
            out.push(Line {
                feats: ids[a..b].to_vec(),
                gold: gold[a..b].to_vec(),
            });
        }
    }
    out
}

/// Averaged structured perceptron over lines, in their order (no random
/// draw: the same lines give the same weights).
pub fn train(lines: &[&Line], interner: &Interner, epochs: usize, o_bias: f32) -> Model {
    let n = n_tags();
    let nf = interner.names.len();
    // emission weights, then the transitions (row 0 from the start)
    let mut w = vec![0f64; nf * n];
    let mut u = vec![0f64; nf * n];
    let mut tw = vec![vec![0f64; n]; n + 1];
    let mut tu = vec![vec![0f64; n]; n + 1];
    let mut c = 1f64;
    for _ in 0..epochs {
        for l in lines {
            let emit: Vec<Vec<f64>> = l
                .feats
                .iter()
                .map(|fs| {
                    let mut s = vec![0f64; n];
                    for &f in fs {
                        let row = &w[f as usize * n..f as usize * n + n];
                        for (a, b) in s.iter_mut().zip(row) {
                            *a += b;
                        }
                    }
                    s
                })
                .collect();
            let guess = viterbi(&emit, &tw);
            if guess != l.gold {
                for (k, fs) in l.feats.iter().enumerate() {
                    let (g, p) = (l.gold[k], guess[k]);
                    if g != p {
                        for &f in fs {
                            let f = f as usize * n;
                            w[f + g] += 1.0;
                            w[f + p] -= 1.0;
                            u[f + g] += c;
                            u[f + p] -= c;
                        }
                    }
                    let gp = if k == 0 { 0 } else { 1 + l.gold[k - 1] };
                    let pp = if k == 0 { 0 } else { 1 + guess[k - 1] };
                    if (gp, g) != (pp, p) {
                        tw[gp][g] += 1.0;
                        tw[pp][p] -= 1.0;
                        tu[gp][g] += c;
                        tu[pp][p] -= c;
                    }
                }
            }
            c += 1.0;
        }
    }
    let avg = |a: f64, b: f64| ((a - b / c) * 1000.0).round() as f32 / 1000.0;
    let classes = tags();
    let mut weights = crate::fast_hash::StrMap::default();
    for (i, name) in interner.names.iter().enumerate() {
        let v: Vec<f32> = (0..n).map(|t| avg(w[i * n + t], u[i * n + t])).collect();
        if v.iter().any(|x| x.abs() >= 0.001) {
            weights.insert(name.clone(), v);
        }
    }
    for p in 0..=n {
        let v: Vec<f32> = (0..n).map(|t| avg(tw[p][t], tu[p][t])).collect();
        let prev = (p > 0).then(|| p - 1);
        weights.insert(transition(prev, &classes), v);
    }
    Model {
        classes,
        weights,
        threshold: o_bias,
    }
}

/// The spans of a tag sequence: (first token, last token + 1, class).
pub fn spans(tags: &[usize]) -> Vec<(usize, usize, usize)> {
    let mut out: Vec<(usize, usize, usize)> = Vec::new();
    for (i, &t) in tags.iter().enumerate() {
        if t == 0 {
            continue;
        }
        let c = class_of(t);
        match out.last_mut() {
            Some(last) if is_inside(t) && last.1 == i && last.2 == c => last.1 = i + 1,
            _ => out.push((i, i + 1, c)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_spans_agree() {
        let t = tags();
        assert_eq!(t.len(), n_tags());
        assert_eq!(t[1], "B-nom");
        assert_eq!(t[4], "I-etablissement");
        assert_eq!(class_of(4), 2);
        // B-etab I-etab I-etab O B-nom B-nom
        assert_eq!(
            spans(&[3, 4, 4, 0, 1, 1]),
            vec![(0, 3, 2), (4, 5, 1), (5, 6, 1)]
        );
    }

    #[test]
    fn viterbi_never_opens_on_an_inside_tag() {
        let n = n_tags();
        // I-etab scores best everywhere, but a line cannot start inside
        let mut e = vec![0.0; n];
        e[4] = 5.0;
        e[3] = 1.0;
        let trans = vec![vec![0.0; n]; n + 1];
        assert_eq!(viterbi(&[e.clone(), e.clone(), e], &trans), vec![3, 4, 4]);
    }

    /// Phrases written for this test: an establishment in lower case after
    /// its head, and a name after a title; the model learns both from four
    /// notes and takes the whole span of a fifth it never saw.
    #[test]
    fn learns_a_lower_case_establishment_as_one_span() {
        fn note(text: &str, gold: &[(&str, &str)]) -> Note {
            let entities = gold
                .iter()
                .map(|(w, k)| {
                    let s = text.find(w).unwrap();
                    crate::eval::GoldSpan {
                        start: s,
                        end: s + w.len(),
                        kind: k.to_string(),
                        person: None,
                    }
                })
                .collect();
            Note {
                id: "t".into(),
                genre: String::new(),
                text: text.into(),
                entities,
                keep: Vec::new(),
            }
        }
        let notes = [
            note(
                "Elle vit à la résidence les mimosas depuis mars.",
                &[("résidence les mimosas", "etablissement")],
            ),
            note(
                "Sortie vers la résidence les acacias demain matin.",
                &[("résidence les acacias", "etablissement")],
            ),
            note(
                "Revue par la résidence les peupliers hier soir.",
                &[("résidence les peupliers", "etablissement")],
            ),
            note(
                "Retour à la résidence les chênes après la consultation.",
                &[("résidence les chênes", "etablissement")],
            ),
        ];
        let mut int = Interner::default();
        let lines = lines_of(&notes, |_| Vec::new(), &mut int);
        let refs: Vec<&Line> = lines.iter().collect();
        let m = train(&refs, &int, 10, 0.0);
        let t = "Admise à la résidence les bouleaux ce jour.";
        let doc = Doc::new(t, &[]);
        let got: Vec<&str> = spans(&decode(&m, &doc))
            .into_iter()
            .map(|(a, b, c)| {
                assert_eq!(CLASSES[c], "etablissement");
                &t[doc.toks[a].0..doc.toks[b - 1].1]
            })
            .collect();
        assert_eq!(got, ["résidence les bouleaux"]);
        // the weights survive their file
        let again = Model::parse(&m.to_tsv("test")).unwrap();
        assert_eq!(decode(&again, &doc), decode(&m, &doc));
    }
}
