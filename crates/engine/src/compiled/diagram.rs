//! The decision diagram of one period: the splitting of the exhaustive
//! walk (split on a fact an undecided verdict rule reads, until one verdict
//! is certain and no other possible, or every verdict rule is certainly
//! active or certainly not) kept as a graph, with
//! equal sub-diagrams shared and tests whose branches all agree removed.
//! Each path reads a fact at most once (a free multi-valued decision
//! diagram); each leaf holds the verdicts of the class of situations it
//! stands for. On it, the verdicts reachable from a partial situation and
//! whether a fact can still change the verdict are walks, not searches.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::expr::Tri;
use crate::law::{Law, GAP};
use crate::masks::{branches, MAX_FACTS};

/// Node identifiers with this bit are leaves; the low byte is their set.
const LEAF: u32 = 1 << 31;

/// The state of [`Diagram::decisive_all`]'s walk.
struct Walk {
    masks: [u32; MAX_FACTS],
    /// The facts not fully unknown (bit `f`).
    narrowed: u64,
    candidates: u64,
    /// The decisive facts found so far (bit `f`).
    found: u64,
    /// Facts whose discovery ends the walk (see [`Diagram::decisive_until`]).
    stop: u64,
    /// For each node scanned, the verdicts reachable from it (never 0).
    reached: Vec<u8>,
}

#[derive(Debug, Clone)]
struct Node {
    fact: u8,
    /// Index of the child for value 0 in `children` (one per value).
    first: u32,
    /// Every verdict (and `GAP`) of the leaves below.
    set: u8,
    /// Facts tested below, this one included.
    reads: u64,
}

#[derive(Debug, Clone)]
pub(crate) struct Diagram {
    nodes: Vec<Node>,
    children: Vec<u32>,
    root: u32,
    /// Whether every leaf has exactly one verdict (no conflict, no gap):
    /// the validated corpus guarantees it; otherwise the engine keeps the
    /// reference search for the period.
    pub exact: bool,
    /// The number of leaves of the unshared walk: the classes.
    pub classes: u64,
}

struct Builder<'a> {
    law: &'a Law,
    date: NaiveDate,
    nodes: Vec<Node>,
    children: Vec<u32>,
    shared: HashMap<(u8, Vec<u32>), u32>,
    exact: bool,
    classes: u64,
}

impl Builder<'_> {
    fn build(&mut self, masks: &[u32; MAX_FACTS]) -> u32 {
        let st = self.law.evaluate(masks, self.date);
        // One verdict certain and no other possible: every completion below
        // gets it (Kleene evaluation over-approximates), the class ends here,
        // as in the exhaustive walk.
        if let Some(v) = st.certain() {
            if st.possible().count_ones() == 1 {
                self.classes += 1;
                return LEAF | v.bit() as u32;
            }
        }
        let Some(f) = self.law.next_split(&st, masks) else {
            self.classes += 1;
            let mut set = st
                .verdicts
                .iter()
                .enumerate()
                .filter(|(_, &t)| t == Tri::T)
                .fold(0u8, |a, (k, _)| a | (1 << k));
            if set.count_ones() != 1 {
                self.exact = false;
            }
            if set == 0 {
                set = GAP;
            }
            return LEAF | set as u32;
        };
        let kids: Vec<u32> = branches(masks, f).map(|m| self.build(&m)).collect();
        if kids.iter().all(|&k| k == kids[0]) {
            return kids[0];
        }
        // `branches` yields the values of a fully unknown fact in order, so
        // the children are indexed by value.
        debug_assert_eq!(kids.len(), self.law.facts[f].domain_size());
        let key = (f as u8, kids);
        if let Some(&id) = self.shared.get(&key) {
            return id;
        }
        let (set, reads) = key.1.iter().fold((0u8, 1u64 << f), |(s, r), &k| {
            let (ks, kr) = self.summary(k);
            (s | ks, r | kr)
        });
        let id = self.nodes.len() as u32;
        self.nodes.push(Node {
            fact: f as u8,
            first: self.children.len() as u32,
            set,
            reads,
        });
        self.children.extend_from_slice(&key.1);
        self.shared.insert(key, id);
        id
    }

    fn summary(&self, id: u32) -> (u8, u64) {
        if id & LEAF != 0 {
            (id as u8, 0)
        } else {
            let n = &self.nodes[id as usize];
            (n.set, n.reads)
        }
    }
}

impl Diagram {
    pub fn build(law: &Law, date: NaiveDate, unknown: &[u32; MAX_FACTS]) -> Diagram {
        let mut b = Builder {
            law,
            date,
            nodes: Vec::new(),
            children: Vec::new(),
            shared: HashMap::new(),
            exact: true,
            classes: 0,
        };
        let root = b.build(unknown);
        Diagram {
            nodes: b.nodes,
            children: b.children,
            root,
            exact: b.exact,
            classes: b.classes,
        }
    }

    /// Nodes of the shared diagram (leaves not counted).
    pub fn size(&self) -> usize {
        self.nodes.len()
    }

    fn set(&self, id: u32) -> u8 {
        if id & LEAF != 0 {
            id as u8
        } else {
            self.nodes[id as usize].set
        }
    }

    fn child(&self, id: u32, value: u32) -> u32 {
        self.children[(self.nodes[id as usize].first + value) as usize]
    }

    /// The verdicts (and `GAP`) of every complete situation within
    /// `masks`; `narrowed` has a bit for each fact not fully unknown.
    pub fn reach(&self, masks: &[u32; MAX_FACTS], narrowed: u64) -> u8 {
        let mut acc = 0;
        self.reach_into(self.root, masks, narrowed, &mut acc);
        acc
    }

    fn reach_into(&self, id: u32, masks: &[u32; MAX_FACTS], narrowed: u64, acc: &mut u8) {
        if id & LEAF != 0 {
            *acc |= id as u8;
            return;
        }
        let n = &self.nodes[id as usize];
        if n.set & !*acc == 0 {
            return;
        }
        if n.reads & narrowed == 0 {
            *acc |= n.set;
            return;
        }
        let mut m = masks[n.fact as usize];
        while m != 0 {
            let v = m.trailing_zeros();
            m &= m - 1;
            self.reach_into(self.child(id, v), masks, narrowed, acc);
        }
    }

    /// The facts of `candidates` (unknown in `masks`) that are decisive
    /// (some completion of the other unknown facts gets different verdicts
    /// for different values of the fact), all in one walk of the nodes reachable
    /// within `masks`, each node once. Below a node, no path reads a fact
    /// already read above it (a free diagram), so the function a node
    /// stands for within `masks` does not depend on the path that led to
    /// it: a fact is decisive exactly where some reachable node tests it
    /// and two of its children (for values within `masks`) are different
    /// functions, which [`Diagram::differs`] tells from that node down,
    /// instead of from the root for every fact.
    pub fn decisive_all(&self, masks: &[u32; MAX_FACTS], narrowed: u64, candidates: u64) -> u64 {
        self.decisive_until(masks, narrowed, candidates, 0)
    }

    /// [`Diagram::decisive_all`], but the walk ends as soon as one fact of
    /// `stop` is found decisive: then the facts returned include it and
    /// may miss others (the next question needs no more when the fact that
    /// would come first is found).
    pub fn decisive_until(
        &self,
        masks: &[u32; MAX_FACTS],
        narrowed: u64,
        candidates: u64,
        stop: u64,
    ) -> u64 {
        let mut walk = Walk {
            masks: *masks,
            narrowed,
            candidates,
            found: 0,
            stop,
            reached: vec![0; self.nodes.len()],
        };
        self.scan(self.root, &mut walk);
        walk.found & candidates
    }

    /// The verdicts reachable from `id` within the walk's masks (kept for
    /// each node, so that a node is scanned once), the decisive facts found
    /// on the way; `None` when the node was not scanned (no fact left to
    /// find below it) and what it reaches is not known without a walk.
    fn scan(&self, id: u32, walk: &mut Walk) -> Option<u8> {
        if id & LEAF != 0 {
            return Some(id as u8);
        }
        if walk.reached[id as usize] != 0 {
            return Some(walk.reached[id as usize]);
        }
        if walk.found & walk.stop != 0 {
            // The walk is over: what this node reaches is left unknown.
            return None;
        }
        let node = &self.nodes[id as usize];
        if node.reads & walk.candidates & !walk.found == 0 {
            return (node.reads & walk.narrowed == 0).then_some(node.set);
        }
        let g = node.fact as usize;
        let mut kids = [0u32; 32];
        let mut n = 0;
        let mut m = walk.masks[g];
        while m != 0 {
            let v = m.trailing_zeros();
            m &= m - 1;
            kids[n] = self.child(id, v);
            n += 1;
        }
        // The test of `g` first (finding a fact early spares the walks
        // below that would look for it): children that each reach one
        // verdict are constants, which differ exactly when the verdicts
        // do; children that reach one verdict together do not differ.
        // Otherwise the lanes start below the test of `g`, which no path
        // reads again: their values are never looked at.
        if n > 1 && walk.candidates & !walk.found & (1 << g) != 0 {
            let mut sets = [0u8; 32];
            let mut known = true;
            for k in 0..n {
                match self.known_reach(kids[k], walk) {
                    Some(set) => sets[k] = set,
                    None => known = false,
                }
            }
            let union = sets[..n].iter().fold(0, |u, s| u | s);
            let differ = if known && (union & !GAP).count_ones() <= 1 {
                false
            } else if known && sets[..n].iter().all(|s| s.count_ones() == 1) {
                sets[..n].iter().any(|&s| s != sets[0])
            } else {
                self.differs(&kids[..n], &[0; 32][..n], &mut walk.masks, g)
            };
            if differ {
                walk.found |= 1 << g;
            }
        }
        let mut union = Some(0u8);
        for &kid in &kids[..n] {
            let set = self.scan(kid, walk);
            union = union.zip(set).map(|(u, s)| u | s);
        }
        if let Some(u) = union {
            walk.reached[id as usize] = u;
        }
        union
    }

    /// What `id` reaches within the walk's masks when it is known without a
    /// walk: a leaf, a node scanned, a node below which no fact is narrowed.
    fn known_reach(&self, id: u32, walk: &Walk) -> Option<u8> {
        if id & LEAF != 0 {
            return Some(id as u8);
        }
        let node = &self.nodes[id as usize];
        match walk.reached[id as usize] {
            0 => (node.reads & walk.narrowed == 0).then_some(node.set),
            set => Some(set),
        }
    }

    /// `at[k]` is where the lane with `f = values[k]` stands.
    fn differs(&self, at: &[u32], values: &[u8], masks: &mut [u32; MAX_FACTS], f: usize) -> bool {
        let mut here = [0u32; 32];
        let mut union = 0u8;
        let mut open = None;
        for (k, &start) in at.iter().enumerate() {
            let mut id = start;
            // Follow the tests whose answer is known: `f` in this lane, or
            // a fact the situation (or this walk) has fixed.
            while id & LEAF == 0 {
                let node = &self.nodes[id as usize];
                let g = node.fact as usize;
                let value = if g == f {
                    values[k] as u32
                } else if masks[g].count_ones() == 1 {
                    masks[g].trailing_zeros()
                } else {
                    if open.is_none() {
                        open = Some(g);
                    }
                    break;
                };
                id = self.child(id, value);
            }
            here[k] = id;
            union |= self.set(id);
        }
        if (union & !GAP).count_ones() <= 1 {
            return false;
        }
        // Lanes at one node agree from there on, unless `f` is still to be
        // tested below (then each lane takes its own branch): one of them
        // is enough, and a single lane left differs from none.
        let mut kept = [0u8; 32];
        let mut lanes = 0;
        for k in 0..at.len() {
            let id = here[k];
            let free = id & LEAF != 0 || self.nodes[id as usize].reads & (1 << f) == 0;
            if !(free && kept[..lanes].iter().any(|&j| here[j as usize] == id)) {
                kept[lanes] = k as u8;
                lanes += 1;
            }
        }
        if lanes <= 1 {
            return false;
        }
        let mut values_kept = [0u8; 32];
        for (j, &k) in kept[..lanes].iter().enumerate() {
            here[j] = here[k as usize];
            values_kept[j] = values[k as usize];
        }
        let (here, values) = (&here[..lanes], &values_kept[..lanes]);
        let Some(g) = open else {
            // Every lane at a leaf, not all the same: single verdicts
            // (exact diagram) that differ.
            return true;
        };
        let saved = masks[g];
        let mut m = saved;
        let mut found = false;
        while m != 0 && !found {
            let v = m.trailing_zeros();
            m &= m - 1;
            masks[g] = 1 << v;
            found = self.differs(here, values, masks, f);
        }
        masks[g] = saved;
        found
    }
}
