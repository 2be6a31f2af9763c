//! The text form of a rule's condition (`when`) and its parser, which
//! resolves fact and value names against the catalogue and compiles them
//! into an [`Expr`].
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

use crate::expr::Expr;
use crate::law::{FactDef, FactKind};

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
                if fact.kind != FactKind::Bool {
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

#[cfg(test)]
mod tests {
    use super::{parse, Expr};
    use crate::law::{Choice, FactDef, FactKind};

    fn facts() -> Vec<FactDef> {
        let choice = |v: &str| Choice {
            value: v.into(),
            label: v.into(),
            label_en: v.into(),
        };
        let fact = |id: &str, kind, values: &[&str]| FactDef {
            id: id.into(),
            kind,
            question: String::new(),
            help: String::new(),
            question_en: String::new(),
            choices: values.iter().map(|v| choice(v)).collect(),
        };
        vec![
            fact("consent", FactKind::Bool, &["false", "true"]),
            fact("recipient", FactKind::Enum, &["judge", "family", "police"]),
        ]
    }

    #[test]
    fn conditions_compile_to_masks() {
        let f = facts();
        let atom = |fact, mask| Expr::Atom { fact, mask };
        assert_eq!(parse("", &f), Ok(Expr::True));
        assert_eq!(parse("consent", &f), Ok(atom(0, 0b10)));
        assert_eq!(parse("recipient != family", &f), Ok(atom(1, 0b101)));
        assert_eq!(
            parse("recipient not in [judge, police]", &f),
            Ok(atom(1, 0b010))
        );
        assert_eq!(
            parse("not consent or recipient in [judge] and consent # why", &f),
            Ok(Expr::Or(vec![
                Expr::Not(Box::new(atom(0, 0b10))),
                Expr::And(vec![atom(1, 0b001), atom(0, 0b10)]),
            ]))
        );
    }

    #[test]
    fn errors_say_where_and_what() {
        let f = facts();
        let err = |src: &str| {
            parse(src, &f)
                .map(|_| ())
                .map_err(|e| (e.offset, e.message))
        };
        assert_eq!(
            err("consent and cosnent"),
            Err((12, "unknown fact `cosnent`".into()))
        );
        assert_eq!(
            err("recipient = maire"),
            Err((
                12,
                "`maire` is not a value of `recipient` (accepted: judge, family, police)".into()
            ))
        );
        assert_eq!(
            err("recipient"),
            Err((0, "`recipient` is not a yes/no fact: write `recipient = value` or `recipient in [..]`".into()))
        );
        assert_eq!(err("(consent"), Err((8, "expected `)`".into())));
        assert_eq!(
            err("consent consent"),
            Err((8, "expected `and`, `or` or the end of the condition".into()))
        );
        assert_eq!(
            err("consent & consent"),
            Err((8, "unexpected character `&`".into()))
        );
        assert_eq!(
            err("recipient in [judge"),
            Err((19, "expected `,` or `]`".into()))
        );
    }
}
