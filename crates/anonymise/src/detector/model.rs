//! A multiclass averaged perceptron: one weight per (feature, class), the
//! class with the highest sum wins. Trained in a fixed order with no random
//! draw, so the same notes give the same weights. The weights file is text:
//! `threshold\tT`, `classes\tO\tnom\t…`, then `feature\tw_O\tw_nom\t…`.
use std::collections::{BTreeMap, HashMap};

use crate::fast_hash::StrMap;

#[derive(Clone)]
pub struct Model {
    /// class names, « O » (no identifier) first
    pub classes: Vec<String>,
    pub weights: StrMap<Vec<f32>>,
    /// how far the best identifier's score must stand above « O »
    pub threshold: f32,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("classes", &self.classes)
            .field("features", &self.weights.len())
            .field("threshold", &self.threshold)
            .finish()
    }
}

/// One training token: its features and its class index.
pub struct Example {
    pub features: Vec<String>,
    pub class: usize,
}

impl Model {
    pub fn scores(&self, features: &[String]) -> Vec<f32> {
        let mut s = vec![0f32; self.classes.len()];
        for f in features {
            if let Some(w) = self.weights.get(f) {
                for (a, b) in s.iter_mut().zip(w) {
                    *a += b;
                }
            }
        }
        s
    }

    /// The identifier class whose score stands at least `threshold` above
    /// « O », if any, with its margin.
    pub fn decide(&self, features: &[String]) -> Option<(usize, f32)> {
        let s = self.scores(features);
        let (best, &top) = s
            .iter()
            .enumerate()
            .skip(1)
            .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))?;
        let margin = top - s[0];
        (margin >= self.threshold).then_some((best, margin))
    }

    pub fn train(examples: &[Example], classes: Vec<String>, epochs: usize) -> Model {
        let refs: Vec<&Example> = examples.iter().collect();
        Model::train_refs(&refs, classes, epochs)
    }

    pub fn train_refs(examples: &[&Example], classes: Vec<String>, epochs: usize) -> Model {
        let n = classes.len();
        // Daumé's trick: the average is w − u / c, with u the updates
        // weighted by the step at which they were made
        let mut w: HashMap<&str, Vec<f64>> = HashMap::new();
        let mut u: HashMap<&str, Vec<f64>> = HashMap::new();
        let mut c = 1f64;
        for _ in 0..epochs {
            for ex in examples {
                let mut s = vec![0f64; n];
                for f in &ex.features {
                    if let Some(v) = w.get(f.as_str()) {
                        for (a, b) in s.iter_mut().zip(v) {
                            *a += b;
                        }
                    }
                }
                let guess = (0..n)
                    .max_by(|&a, &b| s[a].total_cmp(&s[b]).then(b.cmp(&a)))
                    .unwrap_or(0);
                if guess != ex.class {
                    for f in &ex.features {
                        let wv = w.entry(f).or_insert_with(|| vec![0.0; n]);
                        wv[ex.class] += 1.0;
                        wv[guess] -= 1.0;
                        let uv = u.entry(f).or_insert_with(|| vec![0.0; n]);
                        uv[ex.class] += c;
                        uv[guess] -= c;
                    }
                }
                c += 1.0;
            }
        }
        let mut weights = StrMap::default();
        for (f, wv) in w {
            let uv = &u[f];
            let avg: Vec<f32> = wv
                .iter()
                .zip(uv)
                .map(|(a, b)| ((a - b / c) * 1000.0).round() as f32 / 1000.0)
                .collect();
            if avg.iter().any(|x| x.abs() >= 0.001) {
                weights.insert(f.to_string(), avg);
            }
        }
        Model {
            classes,
            weights,
            threshold: 0.0,
        }
    }

    /// The weights file, features sorted so that a retraining diffs cleanly.
    pub fn to_tsv(&self, provenance: &str) -> String {
        let mut out = String::new();
        for l in provenance.lines() {
            out.push_str(&format!("# {l}\n"));
        }
        out.push_str(&format!("threshold\t{}\n", self.threshold));
        out.push_str(&format!("classes\t{}\n", self.classes.join("\t")));
        let sorted: BTreeMap<_, _> = self.weights.iter().collect();
        for (f, w) in sorted {
            let ws: Vec<String> = w.iter().map(|x| format!("{x}")).collect();
            out.push_str(&format!("{f}\t{}\n", ws.join("\t")));
        }
        out
    }

    pub fn parse(tsv: &str) -> Result<Model, String> {
        let mut threshold = None;
        let mut classes: Vec<String> = Vec::new();
        let mut weights = StrMap::default();
        for (n, line) in tsv.lines().enumerate() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let mut it = line.split('\t');
            let head = it.next().unwrap_or("");
            match head {
                "threshold" if threshold.is_none() => {
                    let t = it.next().and_then(|x| x.parse::<f32>().ok());
                    threshold = Some(t.ok_or(format!("line {}: bad threshold", n + 1))?);
                }
                "classes" if classes.is_empty() => classes = it.map(String::from).collect(),
                _ => {
                    if classes.is_empty() {
                        return Err(format!("line {}: weights before the classes", n + 1));
                    }
                    let w: Vec<f32> = it
                        .map(|x| x.parse::<f32>())
                        .collect::<Result<_, _>>()
                        .map_err(|_| format!("line {}: bad weight", n + 1))?;
                    if w.len() != classes.len() {
                        return Err(format!(
                            "line {}: {} weights for {} classes",
                            n + 1,
                            w.len(),
                            classes.len()
                        ));
                    }
                    weights.insert(head.to_string(), w);
                }
            }
        }
        if classes.first().map(String::as_str) != Some("O") {
            return Err("the first class must be « O »".into());
        }
        Ok(Model {
            classes,
            weights,
            threshold: threshold.ok_or("no threshold line")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(f: &[&str], class: usize) -> Example {
        Example {
            features: f.iter().map(|s| s.to_string()).collect(),
            class,
        }
    }

    #[test]
    fn learns_a_separable_rule_and_round_trips_through_its_file() {
        let data = [
            ex(&["bias", "p1=chez", "sh=Xx"], 1),
            ex(&["bias", "p1=le", "sh=x"], 0),
            ex(&["bias", "p1=chez", "sh=x"], 0),
            ex(&["bias", "p1=a", "sh=Xx"], 2),
        ];
        let mut m = Model::train(&data, vec!["O".into(), "nom".into(), "ville".into()], 10);
        m.threshold = 0.1;
        for e in &data {
            let got = m.decide(&e.features).map_or(0, |d| d.0);
            assert_eq!(got, e.class, "{:?}", e.features);
        }
        let again = Model::parse(&m.to_tsv("test\nsecond line")).unwrap();
        assert_eq!(again.classes, m.classes);
        assert_eq!(again.threshold, 0.1);
        assert_eq!(again.weights.len(), m.weights.len());
        assert_eq!(again.to_tsv("x"), m.to_tsv("x"));
        // the same data trains the same weights
        let twice = Model::train(&data, m.classes.clone(), 10);
        assert_eq!(twice.weights, m.weights);
        // a high threshold says nothing
        m.threshold = 1000.0;
        assert!(m.decide(&data[0].features).is_none());
    }

    #[test]
    fn a_broken_file_is_refused_with_its_line() {
        assert!(Model::parse("threshold\t1\nclasses\tO\tnom\nbias\t1\n")
            .unwrap_err()
            .contains("line 3"));
        assert!(Model::parse("classes\tnom\tO\n").is_err());
        assert!(Model::parse("classes\tO\tnom\nbias\t1\t2\n")
            .unwrap_err()
            .contains("threshold"));
    }
}
