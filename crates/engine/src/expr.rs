//! The small condition language of rules (`when`), its parser and its
//! three-valued (Kleene) evaluation over sets of still-possible values.
//!
//! ```text
//! expr   := or
//! or     := and ("or" and)*
//! and    := unary ("and" unary)*
//! unary  := "not" unary | "(" expr ")" | atom
//! atom   := fact | fact "=" value | fact "!=" value
//!         | fact "in" "[" values "]" | fact "not" "in" "[" values "]"
//! ```

use std::fmt;

use crate::model::FactDef;

/// Three-valued truth: false, unknown, true.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tri {
    F,
    U,
    T,
}

impl Tri {
    pub fn and(self, o: Tri) -> Tri {
        match (self, o) {
            (Tri::F, _) | (_, Tri::F) => Tri::F,
            (Tri::T, Tri::T) => Tri::T,
            _ => Tri::U,
        }
    }
    pub fn or(self, o: Tri) -> Tri {
        match (self, o) {
            (Tri::T, _) | (_, Tri::T) => Tri::T,
            (Tri::F, Tri::F) => Tri::F,
            _ => Tri::U,
        }
    }
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Tri {
        match self {
            Tri::T => Tri::F,
            Tri::F => Tri::T,
            Tri::U => Tri::U,
        }
    }
}

/// A compiled condition. Atoms hold the fact index and the mask of values
/// that make them true.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    True,
    Atom { fact: u8, mask: u32 },
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
}

impl Expr {
    /// Kleene evaluation: a fact's `masks[i]` is the set of values it may still take.
    #[inline]
    pub fn eval(&self, masks: &[u32]) -> Tri {
        match self {
            Expr::True => Tri::T,
            Expr::Atom { fact, mask } => {
                let m = masks[*fact as usize];
                if m & mask == 0 {
                    Tri::F
                } else if m & !mask == 0 {
                    Tri::T
                } else {
                    Tri::U
                }
            }
            Expr::Not(e) => e.eval(masks).not(),
            Expr::And(es) => {
                let mut acc = Tri::T;
                for e in es {
                    match e.eval(masks) {
                        Tri::F => return Tri::F,
                        Tri::U => acc = Tri::U,
                        Tri::T => {}
                    }
                }
                acc
            }
            Expr::Or(es) => {
                let mut acc = Tri::F;
                for e in es {
                    match e.eval(masks) {
                        Tri::T => return Tri::T,
                        Tri::U => acc = Tri::U,
                        Tri::F => {}
                    }
                }
                acc
            }
        }
    }

    /// Two-valued evaluation of a complete situation (one value per fact).
    pub fn holds(&self, values: &[u8]) -> bool {
        match self {
            Expr::True => true,
            Expr::Atom { fact, mask } => mask & (1 << values[*fact as usize]) != 0,
            Expr::Not(e) => !e.holds(values),
            Expr::And(es) => es.iter().all(|e| e.holds(values)),
            Expr::Or(es) => es.iter().any(|e| e.holds(values)),
        }
    }

    /// The first atom that is unknown under `masks`, in reading order:
    /// the fact to split on.
    pub fn first_unknown_fact(&self, masks: &[u32]) -> Option<usize> {
        match self {
            Expr::True => None,
            Expr::Atom { fact, .. } => (self.eval(masks) == Tri::U).then_some(*fact as usize),
            Expr::Not(e) => e.first_unknown_fact(masks),
            Expr::And(es) | Expr::Or(es) => {
                if self.eval(masks) != Tri::U {
                    return None;
                }
                es.iter().find_map(|e| e.first_unknown_fact(masks))
            }
        }
    }

    /// Facts read, as a bitset.
    pub fn reads(&self) -> u64 {
        match self {
            Expr::True => 0,
            Expr::Atom { fact, .. } => 1u64 << fact,
            Expr::Not(e) => e.reads(),
            Expr::And(es) | Expr::Or(es) => es.iter().fold(0, |a, e| a | e.reads()),
        }
    }

    /// Unknown facts of atoms that are unknown (bitset).
    pub fn unknown_reads(&self, masks: &[u32]) -> u64 {
        match self {
            Expr::True => 0,
            Expr::Atom { fact, .. } => {
                if self.eval(masks) == Tri::U {
                    1u64 << fact
                } else {
                    0
                }
            }
            Expr::Not(e) => e.unknown_reads(masks),
            Expr::And(es) | Expr::Or(es) => es.iter().fold(0, |a, e| a | e.unknown_reads(masks)),
        }
    }

    pub fn and(self, other: Expr) -> Expr {
        match (self, other) {
            (Expr::True, e) | (e, Expr::True) => e,
            (Expr::And(mut a), Expr::And(b)) => {
                a.extend(b);
                Expr::And(a)
            }
            (Expr::And(mut a), e) => {
                a.push(e);
                Expr::And(a)
            }
            (e, Expr::And(mut b)) => {
                b.insert(0, e);
                Expr::And(b)
            }
            (a, b) => Expr::And(vec![a, b]),
        }
    }
}

/// A parse or name error, with the byte offset in the condition text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Eq,
    Ne,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Comma,
}

fn tokenize(src: &str) -> Result<Vec<(Tok, usize)>, ExprError> {
    let mut out = Vec::new();
    let bytes = src.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'=' => {
                out.push((Tok::Eq, i));
                i += 1
            }
            b'!' if bytes.get(i + 1) == Some(&b'=') => {
                out.push((Tok::Ne, i));
                i += 2
            }
            b'[' => {
                out.push((Tok::LBracket, i));
                i += 1
            }
            b']' => {
                out.push((Tok::RBracket, i));
                i += 1
            }
            b'(' => {
                out.push((Tok::LParen, i));
                i += 1
            }
            b')' => {
                out.push((Tok::RParen, i));
                i += 1
            }
            b',' => {
                out.push((Tok::Comma, i));
                i += 1
            }
            c if c.is_ascii_alphanumeric() || c == b'_' => {
                let start = i;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'-')
                {
                    i += 1;
                }
                out.push((Tok::Ident(src[start..i].to_string()), start));
            }
            _ => {
                let ch = src[i..].chars().next().unwrap_or('?');
                return Err(ExprError {
                    offset: i,
                    message: format!("unexpected character `{ch}`"),
                });
            }
        }
    }
    Ok(out)
}

/// Parses a condition against the fact catalogue.
pub fn parse(src: &str, facts: &[FactDef]) -> Result<Expr, ExprError> {
    let toks = tokenize(src)?;
    let mut p = Parser {
        toks,
        pos: 0,
        facts,
        end: src.len(),
    };
    if p.toks.is_empty() {
        return Ok(Expr::True);
    }
    let e = p.or()?;
    if p.pos < p.toks.len() {
        return Err(p.err("expected `and`, `or` or the end of the condition"));
    }
    Ok(e)
}

struct Parser<'a> {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    facts: &'a [FactDef],
    end: usize,
}

impl Parser<'_> {
    fn offset(&self) -> usize {
        self.toks.get(self.pos).map(|t| t.1).unwrap_or(self.end)
    }
    fn err(&self, msg: &str) -> ExprError {
        ExprError {
            offset: self.offset(),
            message: msg.to_string(),
        }
    }
    fn peek_kw(&self, kw: &str) -> bool {
        matches!(self.toks.get(self.pos), Some((Tok::Ident(s), _)) if s == kw)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).map(|t| t.0.clone());
        self.pos += 1;
        t
    }
    fn or(&mut self) -> Result<Expr, ExprError> {
        let mut items = vec![self.and()?];
        while self.peek_kw("or") {
            self.pos += 1;
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one item")
        } else {
            Expr::Or(items)
        })
    }
    fn and(&mut self) -> Result<Expr, ExprError> {
        let mut items = vec![self.unary()?];
        while self.peek_kw("and") {
            self.pos += 1;
            items.push(self.unary()?);
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one item")
        } else {
            Expr::And(items)
        })
    }
    fn unary(&mut self) -> Result<Expr, ExprError> {
        if self.peek_kw("not") {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if matches!(self.toks.get(self.pos), Some((Tok::LParen, _))) {
            self.pos += 1;
            let e = self.or()?;
            if !matches!(self.next(), Some(Tok::RParen)) {
                self.pos -= 1;
                return Err(self.err("expected `)`"));
            }
            return Ok(e);
        }
        self.atom()
    }
    fn atom(&mut self) -> Result<Expr, ExprError> {
        let at = self.offset();
        let name = match self.next() {
            Some(Tok::Ident(s)) if !matches!(s.as_str(), "and" | "or" | "not" | "in") => s,
            _ => {
                self.pos -= 1;
                return Err(self.err("expected a fact name"));
            }
        };
        let (idx, fact) = self
            .facts
            .iter()
            .enumerate()
            .find(|(_, f)| f.id == name)
            .ok_or_else(|| ExprError {
                offset: at,
                message: format!("unknown fact `{name}`"),
            })?;
        let idx = idx as u8;
        match self.toks.get(self.pos).map(|t| t.0.clone()) {
            Some(Tok::Eq) | Some(Tok::Ne) => {
                let negate = matches!(self.next(), Some(Tok::Ne));
                let mask = self.value(fact)?;
                let mask = if negate {
                    fact.full_mask() & !mask
                } else {
                    mask
                };
                Ok(Expr::Atom { fact: idx, mask })
            }
            Some(Tok::Ident(s)) if s == "in" => {
                self.pos += 1;
                let mask = self.value_list(fact)?;
                Ok(Expr::Atom { fact: idx, mask })
            }
            Some(Tok::Ident(s))
                if s == "not"
                    && matches!(self.toks.get(self.pos + 1), Some((Tok::Ident(n), _)) if n == "in") =>
            {
                self.pos += 2;
                let mask = self.value_list(fact)?;
                Ok(Expr::Atom {
                    fact: idx,
                    mask: fact.full_mask() & !mask,
                })
            }
            _ => {
                if fact.kind != crate::model::FactKind::Bool {
                    return Err(ExprError {
                        offset: at,
                        message: format!("`{name}` is not a yes/no fact: write `{name} = value` or `{name} in [..]`"),
                    });
                }
                Ok(Expr::Atom {
                    fact: idx,
                    mask: 0b10,
                })
            }
        }
    }
    fn value(&mut self, fact: &FactDef) -> Result<u32, ExprError> {
        let at = self.offset();
        match self.next() {
            Some(Tok::Ident(v)) => match fact.value_index(&v) {
                Some(i) => Ok(1 << i),
                None => Err(ExprError {
                    offset: at,
                    message: format!(
                        "`{v}` is not a value of `{}` (accepted: {})",
                        fact.id,
                        fact.accepted_values().join(", ")
                    ),
                }),
            },
            _ => {
                self.pos -= 1;
                Err(self.err("expected a value"))
            }
        }
    }
    fn value_list(&mut self, fact: &FactDef) -> Result<u32, ExprError> {
        if !matches!(self.next(), Some(Tok::LBracket)) {
            self.pos -= 1;
            return Err(self.err("expected `[`"));
        }
        let mut mask = 0;
        loop {
            mask |= self.value(fact)?;
            match self.next() {
                Some(Tok::Comma) => continue,
                Some(Tok::RBracket) => break,
                _ => {
                    self.pos -= 1;
                    return Err(self.err("expected `,` or `]`"));
                }
            }
        }
        Ok(mask)
    }
}
